"""Optional LLM path: a local OpenAI-compatible HTTP server on loopback stands in for the endpoint.

The whole client path (langchain-openai → HTTP → JSON) is real; only the model's words are scripted."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant import ask


class Scripted(BaseHTTPRequestHandler):
    reply = ""
    delay = 0.0
    seen: list[dict] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Scripted.seen.append(body)
        time.sleep(Scripted.delay)
        payload = {"id": "x", "object": "chat.completion", "created": 0, "model": body.get("model", "m"),
                   "choices": [{"index": 0, "finish_reason": "stop",
                                "message": {"role": "assistant", "content": Scripted.reply}}],
                   "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
        data = json.dumps(payload).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def llm_server(monkeypatch, built_home):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("YIJU_LLM_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}/v1")
    monkeypatch.setenv("YIJU_LLM_TIMEOUT", "2")
    Scripted.seen.clear()
    Scripted.delay = 0
    yield Scripted
    server.shutdown()


Q = "电梯检验机构出具虚假报告怎么罚"


def test_good_llm_output_is_served(llm_server):
    llm_server.reply = ("依据《中华人民共和国特种设备安全法》第九十三条[1]，对机构处五万元以上二十万元以下罚款，"
                        "对直接负责的主管人员和其他直接责任人员处五千元以上五万元以下罚款。")
    a = ask(Q)
    assert a.generator == "llm", a.warnings
    assert "模型整理" in a.markdown and "第九十三条" in a.markdown
    prompt = llm_server.seen[0]["messages"][1]["content"]
    assert "第九十三条" in prompt and "参考答案" in prompt


def test_fabricated_citation_falls_back(llm_server):
    llm_server.reply = "依据《中华人民共和国特种设备安全法》第九十九条第五款，罚款一百万元。"
    a = ask(Q)
    assert a.generator == "extractive"
    assert any("未通过引用核查" in w for w in a.warnings)
    assert "第九十九条" not in a.markdown


def test_citation_outside_retrieved_set_falls_back(llm_server):
    llm_server.reply = "依据《中华人民共和国刑法》第一条处理。"
    a = ask(Q)
    assert a.generator == "extractive" and any("不在检索到的条文中" in w for w in a.warnings)


def test_timeout_falls_back(llm_server):
    llm_server.delay = 3.5
    llm_server.reply = "依据《中华人民共和国特种设备安全法》第九十三条[1]。"
    a = ask(Q)
    assert a.generator == "extractive" and any("LLM 不可用" in w for w in a.warnings)
    assert a.citations[0].provision_id == "特种设备安全法/93"


def test_endpoint_down_falls_back(monkeypatch, built_home):
    monkeypatch.setenv("YIJU_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("YIJU_LLM_TIMEOUT", "2")
    a = ask(Q)
    assert a.generator == "extractive" and a.citations
