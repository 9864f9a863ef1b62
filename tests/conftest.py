"""Shared fixtures. `built_home` builds the real default index once per session in a temporary YIJU_HOME
(set YIJU_TEST_HOME to reuse a prebuilt one across runs while developing)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


def run_cli(args: list[str], home: Path, watch: tuple[str, ...] = (), **env: str) -> dict:
    """Run a `yiju` command in a new process (the click group, as tests call it, so the process ends normally);
    its standard output and which of the `watch` modules it had imported by then."""
    code = ("import sys, json\nfrom ui.cli import cli\n"
            "try:\n    cli(args=sys.argv[1:], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
            f"print('MODULES ' + json.dumps([m for m in {tuple(watch)!r} if m in sys.modules]))")
    proc = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=dict(os.environ, YIJU_HOME=str(home), **env),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out, _, modules = proc.stdout.rpartition("MODULES ")
    return {"out": out, "modules": json.loads(modules)}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tiers: a test that needs the built index (the `built_home` fixture, directly or through another fixture)
    is slow, whatever its file says, so `-m "not slow and not browser"` runs only tests that need no index,
    server or browser. Runs before `-m` deselects."""
    for item in items:
        if "built_home" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _cheap_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Passwords hashed in this process use bcrypt's lowest cost (4 rounds instead of 12): the tests check the
    login rules, not bcrypt's work factor, and a 12-round hash costs ~0.3 s a check on this box. Servers the
    tests start in subprocesses keep the real cost."""
    auth = sys.modules.get("ui.auth")
    if auth is None:
        return
    real = auth.bcrypt.gensalt
    monkeypatch.setattr(auth.bcrypt, "gensalt", lambda rounds=4, prefix=b"2b": real(4, prefix))
    monkeypatch.setattr(auth, "_DUMMY_HASH", auth.bcrypt.hashpw(b"yiju-no-such-user", real(4)).decode())


@pytest.fixture(scope="session")
def built_home(tmp_path_factory) -> Path:
    """A YIJU_HOME with the full index of the real default corpus, built once per session (model conversion
    included). Set YIJU_TEST_HOME to reuse one across runs: an unchanged corpus then costs a no-change rebuild."""
    from index.build import build_index

    reuse = bool(os.environ.get("YIJU_TEST_HOME"))
    home = Path(os.environ.get("YIJU_TEST_HOME") or tmp_path_factory.mktemp("yiju-home"))
    home.mkdir(parents=True, exist_ok=True)
    old = {k: os.environ.get(k) for k in ("YIJU_HOME", "YIJU_CHROMA_URL")}
    os.environ["YIJU_HOME"] = str(home)
    os.environ.pop("YIJU_CHROMA_URL", None)  # the shared index is embedded; server mode has its own test
    _reset_assistant()
    try:
        build_index(progress=False)
        yield home
    finally:
        _reset_assistant()
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        if not reuse:  # the converted model and index (~0.5 GB) never stay in the system temp dir
            shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def _clean_temp(request, tmp_path_factory):
    """After a session without failures, empty its temp dir (index builds, homes, logs); a failed session keeps
    its files for inspection, and pyproject's tmp_path_retention_count keeps only the latest such session."""
    yield
    if request.session.testsfailed == 0 and not os.environ.get("YIJU_KEEP_TMP"):
        base = tmp_path_factory.getbasetemp()
        for child in base.iterdir():
            if child.name == ".lock":
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)


def _reset_assistant() -> None:
    try:
        from assistant import retrieve
    except ImportError:
        return
    retrieve.reset()


@pytest.fixture(scope="session")
def model_path(built_home) -> str:
    """The converted embedding model of the shared home: small test corpora set YIJU_EMBED_MODEL to it
    instead of converting again."""
    from index.embed import ensure_model

    return ensure_model()


@pytest.fixture()
def refused_knowledge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """`refused_knowledge(file, loader, text, message)`: the corpus.knowledge (or corpus.history) loader of that name, reading `text`
    as corpus/data/<file>, raises a KnowledgeError matching `message` (the loaders' caches are cleared around)."""
    from corpus import history
    from corpus import knowledge as kb

    monkeypatch.setattr(kb, "DATA", tmp_path)
    monkeypatch.setattr(history, "PACKAGED_DATA", tmp_path)
    used = []

    def check(name: str, loader: str, text: str, message: str) -> None:
        (tmp_path / name).write_text(text, "utf-8")
        load = getattr(kb, loader, None) or getattr(history, loader)
        used.append(load)
        load.cache_clear()
        with pytest.raises(kb.KnowledgeError, match=message):
            load()

    yield check
    for load in used:
        load.cache_clear()


@pytest.fixture(scope="session")
def searcher(built_home):
    """One Searcher over the shared index (model loaded once); tests must not change it."""
    from index.search import Searcher

    s = Searcher(home=built_home)
    yield s
    s.close()


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
        except Exception:  # not up yet
            time.sleep(0.3)
    raise TimeoutError(url)


def chroma_executable() -> str | None:
    exe = Path(sys.executable).parent / "chroma"
    return str(exe) if exe.is_file() else shutil.which("chroma")


@pytest.fixture()
def chroma_server(tmp_path):
    """A real `chroma run` on a free loopback port, stopped after the test: yields (url, process)."""
    exe = chroma_executable()
    if exe is None:
        pytest.skip("the `chroma` executable (chromadb's CLI) is not installed in this environment")
    port = free_port()
    log = open(tmp_path / "chroma-server.log", "w")  # closed below
    proc = subprocess.Popen([exe, "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    try:
        try:
            wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=90)
        except TimeoutError:
            log.flush()
            raise RuntimeError("chroma run did not answer: " + (tmp_path / "chroma-server.log").read_text()[-2000:]) from None
        yield f"http://127.0.0.1:{port}", proc
    finally:
        stop(proc, grace=10)
        log.close()


@contextmanager
def serving(args: list[str], env: dict, log_path: Path, ready_url: str, timeout: float) -> Iterator[None]:
    """`python -m ui.cli serve …` in a subprocess until the block ends; its output goes to `log_path`."""
    log = open(log_path, "w")  # closed below
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", *args], env=env, cwd=ROOT, stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        wait_http(ready_url, timeout=timeout)
        yield
    finally:
        stop(proc, grace=15)
        log.close()


def stop(proc: subprocess.Popen, grace: float) -> None:
    """Terminate a child process, and kill it if it is still there after `grace` seconds."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def raw_call(base: str, index: int, data: list, session: str, event_data: dict | None = None,
             http: httpx.Client | None = None, timeouts: tuple[float, float] = (30, 180)) -> dict:
    """One event through Gradio's queue (/gradio_api/queue/join), exactly as the browser sends it: the final
    message, or {"refused": status, "text": …} when the server refuses the call."""
    return raw_messages(base, index, data, session, event_data, http, timeouts)[-1]


def raw_messages(base: str, index: int, data: list, session: str, event_data: dict | None = None,
                 http: httpx.Client | None = None, timeouts: tuple[float, float] = (30, 180)) -> list[dict]:
    """Every message of one event through Gradio's queue, up to its process_completed (a generator's updates
    come as process_generating messages before it); [{"refused": status, "text": …}] when refused."""
    join, stream = timeouts
    http = http or httpx.Client(timeout=join)
    r = http.post(f"{base}/gradio_api/queue/join", timeout=join,
                  json={"data": data, "fn_index": index, "session_hash": session, "event_data": event_data,
                        "trigger_id": None})
    if r.status_code != 200:
        return [{"refused": r.status_code, "text": r.text}]
    got = []
    with http.stream("GET", f"{base}/gradio_api/queue/data", params={"session_hash": session},
                     timeout=stream) as s:
        for line in s.iter_lines():
            if line.startswith("data:"):
                got.append(json.loads(line[5:]))
                if got[-1].get("msg") == "process_completed":
                    return got
    raise AssertionError("no process_completed message")


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
    with serving(["--port", str(port), "--no-build"], env, built_home / "serve.log",
                 f"http://127.0.0.1:{port}/", timeout=180):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def llm_app_server(built_home, tmp_path_factory):
    """The real app with an LLM: `yiju serve` in its own YIJU_HOME (a copy of the built index, the officer), its
    YIJU_LLM_BASE_URL pointing at a loopback stub endpoint in this process (tests/llm_stub.py; set `stub.script`
    before asking). Yields (base URL, stub)."""
    from tests.llm_stub import LLMStub

    home = tmp_path_factory.mktemp("llm-home")
    shutil.copytree(built_home / "index", home / "index")
    (home / "models").symlink_to(built_home / "models")
    env = dict(os.environ, YIJU_HOME=str(home), YIJU_LLM_TIMEOUT="3", YIJU_LLM_STREAM="1")
    subprocess.run([sys.executable, "-m", "ui.cli", "users", "add", OFFICER[0], "--role", "officer",
                    "--password-stdin"], input=OFFICER[1] + "\n", env=env, cwd=ROOT, check=True, text=True,
                   capture_output=True, timeout=120)
    port = free_port()
    with LLMStub() as stub:
        env["YIJU_LLM_BASE_URL"] = stub.url
        with serving(["--port", str(port), "--no-build"], env, home / "serve.log", f"http://127.0.0.1:{port}/",
                     timeout=180):
            yield f"http://127.0.0.1:{port}", stub
