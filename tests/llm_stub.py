"""A real OpenAI-compatible chat-completions endpoint on loopback that stands in for the LLM (there is none on
this machine): a thread serving HTTP. With `"stream": true` it answers with server-sent events
(`data: {...choices[0].delta.content...}` lines, then `data: [DONE]`), one scripted piece at a time; otherwise
with one JSON completion of the whole script. Only the model's words are scripted; the client path (langchain /
openai → httpx → HTTP → SSE parsing) is the real one."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Q = "电梯检验机构出具虚假报告怎么罚"
# Cites only what the assistant retrieves for Q ([1] 特种设备安全法93, [2] 特种设备安全法53), quotes verbatim;
# the quotation holds a 。 (no cut inside it), and there is a list item and a table row.
GOOD = ("### 结论\n"
        "特种设备检验、检测机构出具虚假的检验、检测结果和鉴定结论的，依据《中华人民共和国特种设备安全法》第九十三条"
        "第一款第（三）项[1]处罚。"
        "对机构处五万元以上二十万元以下罚款；"
        "对直接负责的主管人员和其他直接责任人员处五千元以上五万元以下罚款。"
        "情节严重的，吊销机构资质和有关人员的资格。\n\n"
        "该行为违反《中华人民共和国特种设备安全法》第五十三条[2]：“特种设备检验、检测机构及其检验、检测人员应当客观、"
        "公正、及时地出具检验、检测报告，并对检验、检测结果和鉴定结论负责。”\n\n"
        "| 处罚对象 | 罚款 |\n|---|---|\n| 机构 | 五万元以上二十万元以下 |\n"
        "- 依据：《中华人民共和国特种设备安全法》第九十三条[1]。\n")
BAD_SENTENCE = "另依据《中华人民共和国特种设备安全法》第九十六条，可并处罚款一百万元。"
BAD_MARKERS = ("第九十六条", "一百万元")  # appear in no answer to Q: must never reach the user
# Two good sentences, then one citing an article the assistant did not retrieve, then more good text.
BAD = ("### 结论\n"
       "特种设备检验、检测机构出具虚假的检验、检测结果和鉴定结论的，依据《中华人民共和国特种设备安全法》第九十三条[1]处罚。"
       "对机构处五万元以上二十万元以下罚款。" + BAD_SENTENCE + "情节严重的，吊销机构资质和有关人员的资格。\n"
       "对直接负责的主管人员和其他直接责任人员处五千元以上五万元以下罚款。\n"
       "- 依据：《中华人民共和国特种设备安全法》第九十三条[1]。\n")


def pieces(text: str, size: int = 7) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)]


@dataclass
class Script:
    """What the model 'writes': pieces sent `gap` seconds apart; before piece `stall_at`, a silence of `stall`."""

    chunks: list[str] = field(default_factory=list)
    gap: float = 0.0
    stall_at: int | None = None
    stall: float = 0.0

    @property
    def text(self) -> str:
        return "".join(self.chunks)


def chunk_event(model: str, delta: dict, finish: str | None = None) -> bytes:
    body = {"id": "chatcmpl-stub", "object": "chat.completion.chunk", "created": 0, "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return b"data: " + json.dumps(body, ensure_ascii=False).encode() + b"\n\n"


class LLMStub:
    """`with LLMStub() as llm:` serves until the block ends; set `llm.script` before each question; `llm.seen`
    holds the request bodies received; `llm.url` is the base URL for YIJU_LLM_BASE_URL."""

    def __init__(self) -> None:
        self.script = Script()
        self.seen: list[dict] = []
        self.finished = 0  # streams sent to their end
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stub.seen.append(body)
                try:
                    (stub._stream if body.get("stream") else stub._whole)(self, body, stub.script)
                except (BrokenPipeError, ConnectionResetError):  # the client hung up (a stall past its timeout)
                    pass

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> LLMStub:
        threading.Thread(target=self.server.serve_forever, daemon=True, name="llm-stub").start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _whole(self, h: BaseHTTPRequestHandler, body: dict, script: Script) -> None:
        time.sleep(script.stall)
        payload = {"id": "x", "object": "chat.completion", "created": 0, "model": body.get("model", "m"),
                   "choices": [{"index": 0, "finish_reason": "stop",
                                "message": {"role": "assistant", "content": script.text}}],
                   "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
        data = json.dumps(payload).encode()
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def _stream(self, h: BaseHTTPRequestHandler, body: dict, script: Script) -> None:
        model = body.get("model", "m")
        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream")
        h.send_header("Cache-Control", "no-cache")
        h.end_headers()
        h.wfile.write(chunk_event(model, {"role": "assistant", "content": ""}))
        for i, piece in enumerate(script.chunks):
            if i == script.stall_at:
                time.sleep(script.stall)
            h.wfile.write(chunk_event(model, {"content": piece}))
            h.wfile.flush()
            time.sleep(script.gap)
        h.wfile.write(chunk_event(model, {}, "stop"))
        h.wfile.write(b"data: [DONE]\n\n")
        h.wfile.flush()
        self.finished += 1
