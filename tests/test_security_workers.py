"""Issue 14, point 4: two `yiju serve --api` workers on one Chroma server and one YIJU_HOME share logins, tokens,
logouts, lockouts and rate-limit counters (ui.store), so N workers neither refuse each other's tokens nor
multiply the guessing budget by N."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import httpx
import pytest

from tests.conftest import OFFICER, ROOT, free_port, wait_http

pytestmark = pytest.mark.slow


@pytest.fixture()
def workers(tmp_path, built_home, chroma_server, monkeypatch):
    url, _ = chroma_server
    home = tmp_path / "home"
    shutil.copytree(built_home / "index", home / "index")  # vectors are reused: only the Chroma writes happen
    (home / "models").symlink_to(built_home / "models")
    env = {k: v for k, v in os.environ.items() if k != "YIJU_TRUSTED_PROXIES"}
    env.update(YIJU_HOME=str(home), YIJU_CHROMA_URL=url)
    subprocess.run([sys.executable, "-m", "ui.cli", "index", "build", "--quiet"], env=env, cwd=ROOT, check=True,
                   timeout=900)
    monkeypatch.setenv("YIJU_HOME", str(home))
    from ui.auth import add_user

    add_user(*OFFICER, role="officer")
    ports = [free_port(), free_port()]
    procs = [subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--api", "--no-build", "--port", str(p)],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for p in ports]
    try:
        bases = [f"http://127.0.0.1:{p}" for p in ports]
        for b in bases:
            wait_http(f"{b}/api/health", timeout=240)
        yield bases
    finally:
        for p in procs:
            p.terminate()
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()


def test_two_workers_share_tokens_lockouts_and_limits(workers):
    a, b = workers
    ask = {"question": "电梯检验机构出具虚假报告怎么罚"}
    with httpx.Client(timeout=120) as http:
        token = http.post(f"{a}/api/login", json={"user": OFFICER[0], "password": OFFICER[1]}).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        r = http.post(f"{b}/api/ask", json=ask, headers=auth)  # a token from worker A works on worker B
        assert r.status_code == 200 and r.json()["citations"][0]["provision_id"] == "特种设备安全法/93"
        assert http.post(f"{b}/api/logout", headers=auth).status_code == 200  # a logout on B ends it on A
        assert http.post(f"{a}/api/ask", json=ask, headers=auth).status_code == 401
        # the guessing budget is not multiplied by the number of workers
        for n in range(5):
            r = http.post(f"{(a, b)[n % 2]}/api/login", json={"user": OFFICER[0], "password": "wrong-password"})
            assert r.status_code == 401
        for base in (a, b):
            r = http.post(f"{base}/api/login", json={"user": OFFICER[0], "password": OFFICER[1]})
            assert r.status_code == 429 and "过多" in r.json()["detail"]
        # one public budget per client over both workers (60 a minute)
        codes = [http.post(f"{(a, b)[n % 2]}/api/public/ask", json={"question": "什么是检验检测报告？"}).status_code
                 for n in range(70)]
    assert codes[:60] == [200] * 60 and set(codes[60:]) == {429}
    from ui import audit  # both workers appended to one hash chain

    v = audit.verify()
    assert v.ok and {"login", "login-failed", "lockout", "api-ask", "logout"} <= {r["action"] for r in audit.rows(100)}
