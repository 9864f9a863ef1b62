"""Shared fixtures. `built_home` builds the real default index once per session in a temporary YIJU_HOME
(set YIJU_TEST_HOME to reuse a prebuilt one across runs while developing)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def built_home(tmp_path_factory) -> Path:
    from assistant import retrieve
    from index.build import build_index

    home = Path(os.environ.get("YIJU_TEST_HOME") or tmp_path_factory.mktemp("yiju-home"))
    old = os.environ.get("YIJU_HOME")
    os.environ["YIJU_HOME"] = str(home)
    build_index(progress=False)
    retrieve.reset()
    yield home
    retrieve.reset()
    if old is None:
        os.environ.pop("YIJU_HOME", None)
    else:
        os.environ["YIJU_HOME"] = old


@pytest.fixture()
def searcher(built_home):
    from index.search import Searcher

    return Searcher()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60) -> None:
    import urllib.request

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.3)
    raise TimeoutError(url)


@pytest.fixture()
def chroma_server(tmp_path):
    """A real `chroma run` on loopback, stopped after the test."""
    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    proc = subprocess.Popen([exe, "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat")
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


OFFICER = ("officer_zhang", "officer-pass-1")
TRAINER = ("trainer_li", "trainer-pass-1")


@pytest.fixture(scope="session")
def app_server(built_home):
    """The real app (`yiju serve`) in a subprocess on a loopback port, with one officer and one trainer."""
    from ui.auth import add_user

    add_user(*OFFICER, role="officer")
    add_user(*TRAINER, role="trainer")
    port = free_port()
    env = dict(os.environ, YIJU_HOME=str(built_home))
    log = open(built_home / "serve.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--port", str(port), "--no-build"], env=env,
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_http(f"http://127.0.0.1:{port}/", timeout=180)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
