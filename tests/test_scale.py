"""Scale-out and faults: two app processes against one real `chroma run` server answer identically; when the
Chroma server goes down the app stays up with a clear message; a corrupted index is reported at start."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import httpx
import pytest

from tests.conftest import OFFICER, ROOT, free_port, wait_http

pytestmark = pytest.mark.slow
QUESTIONS = ["检验检测报告保存多少年", "车检站出具虚假检验结果怎么罚", "授权签字人有什么要求"]


def _start_app(env: dict, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--api", "--no-build", "--port", str(port)],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _ask(base: str, token: str, q: str) -> dict:
    r = httpx.post(f"{base}/api/ask", json={"question": q}, headers={"Authorization": f"Bearer {token}"}, timeout=120)
    assert r.status_code == 200, r.text
    return r.json()


def _login(base: str) -> str:
    r = httpx.post(f"{base}/api/login", json={"user": OFFICER[0], "password": OFFICER[1]}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()["token"]


def test_two_workers_one_chroma_server(tmp_path, built_home, chroma_server, monkeypatch):
    url, chroma = chroma_server
    home = tmp_path / "home"
    shutil.copytree(built_home / "index", home / "index")  # vectors are reused: only the Chroma writes happen
    (home / "models").symlink_to(built_home / "models")  # ~0.9 GB: shared, never copied
    env = dict(os.environ, YIJU_HOME=str(home), YIJU_CHROMA_URL=url)
    subprocess.run([sys.executable, "-m", "ui.cli", "index", "build", "--quiet"], env=env, cwd=ROOT, check=True,
                   timeout=600)
    monkeypatch.setenv("YIJU_HOME", str(home))
    from ui.auth import add_user

    add_user(*OFFICER, role="officer")
    ports = [free_port(), free_port()]
    procs = [_start_app(env, p) for p in ports]
    try:
        bases = [f"http://127.0.0.1:{p}" for p in ports]
        for b in bases:
            wait_http(f"{b}/api/health", timeout=180)
            assert httpx.get(f"{b}/api/health").json()["chroma"] == url
        tokens = [_login(b) for b in bases]
        for q in QUESTIONS:
            a, b = (_ask(base, tok, q) for base, tok in zip(bases, tokens, strict=True))
            assert a["markdown"] == b["markdown"] and a["citations"], q
        # the store goes away: both workers stay up and say so
        chroma.terminate()
        chroma.wait(10)
        for base, tok in zip(bases, tokens, strict=True):
            down = _ask(base, tok, "检验检测机构自我声明有什么要求")
            assert "检索服务暂时不可用" in down["markdown"] or "无法连接 Chroma" in down["markdown"]
            assert httpx.get(f"{base}/api/health", timeout=30).status_code == 200
            scenario = _ask(base, tok, "电梯检验机构出具虚假报告怎么罚")  # curated answers need no store
            assert scenario["citations"][0]["provision_id"] == "特种设备安全法/93"
    finally:
        for p in procs:
            p.terminate()
            p.wait(15)


def test_corrupted_index_reported_at_start(tmp_path, built_home):
    home = tmp_path / "home"
    shutil.copytree(built_home / "index", home / "index")
    (home / "models").symlink_to(built_home / "models")
    build = (home / "index" / "CURRENT").read_text().strip()
    (home / "index" / "builds" / build / "manifest.json").write_text("{broken", "utf-8")
    env = dict(os.environ, YIJU_HOME=str(home))
    r = subprocess.run([sys.executable, "-m", "ui.cli", "serve", "--no-build", "--port", str(free_port())], env=env,
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode != 0
    assert "索引已损坏" in r.stderr and "yiju index build" in r.stderr
    assert "Traceback" not in r.stderr
