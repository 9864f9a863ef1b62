"""A bounded load test (loopback only): concurrent sessions asking questions, with latency and isolation checks.

Two drivers: `inprocess` (threads calling assistant.ask with per-session follow-ups, checking that no session
sees another's context) and `http` against a running server: officers (each session logs in for its own token
and asks follow-ups through the JSON API, checked like in-process) or, without an account, the public endpoint
(each reply must answer its own question)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlparse

from evals.metrics import percentile

# Each session sticks to one sector; its follow-ups must resolve to that sector's law.
SESSION_PLANS = [
    ("电梯检验机构出具虚假报告怎么罚", "特种设备安全法/93"),
    ("车检站出具虚假检验结果怎么罚", "道路交通安全法/94"),
    ("食品检验机构出具虚假检验报告怎么罚", "食品安全法/138"),
    ("机动车排放检验机构出具虚假报告怎么罚", "生态环境法典/1230"),
    ("产品质量检验机构伪造检验结果怎么罚", "产品质量法/57"),
]
FOLLOW_UPS = ["那情节严重呢？", "对直接责任人员呢？", "由谁来罚？", "依据哪条？"]
PUBLIC_QUESTIONS = [("怎么查询一家检测机构有没有资质？", "资质"), ("我怀疑检测报告是假的，去哪里投诉举报？", "举报"),
                    ("什么是检验检测报告？", "检验检测报告")]


@dataclass
class LoadReport:
    sessions: int
    questions: int
    errors: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> dict:
        return {"sessions": self.sessions, "questions_per_session": self.questions,
                "requests": len(self.latencies_ms), "errors": len(self.errors), "leaks": len(self.leaks),
                "p50_ms": round(percentile(self.latencies_ms, 50), 1) if self.latencies_ms else None,
                "p95_ms": round(percentile(self.latencies_ms, 95), 1) if self.latencies_ms else None,
                "seconds": round(self.seconds, 1),
                "throughput_rps": round(len(self.latencies_ms) / self.seconds, 1) if self.seconds else None}


def _check_loopback(url: str) -> None:
    host = urlparse(url).hostname or ""
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        raise ValueError(f"load tests only target loopback addresses, not {host!r}")


def run_inprocess(sessions: int = 50, questions: int = 20, workers: int = 16) -> LoadReport:
    from assistant import ask
    from assistant.session import get_session

    report = LoadReport(sessions, questions)
    lock = threading.Lock()

    def one(n: int) -> None:
        first, expected = SESSION_PLANS[n % len(SESSION_PLANS)]
        session = get_session(f"load-{n}-{time.time_ns()}")
        for i in range(questions):
            q = first if i % 5 == 0 else FOLLOW_UPS[(i - 1) % len(FOLLOW_UPS)]
            t = time.perf_counter()
            try:
                a = ask(q, session=session)
            except Exception as exc:  # counted, not raised
                with lock:
                    report.errors.append(f"session {n}: {type(exc).__name__}: {exc}")
                continue
            with lock:
                report.latencies_ms.append((time.perf_counter() - t) * 1000)
            cited = [c.provision_id for c in a.citations]
            if expected not in cited:
                with lock:
                    report.leaks.append(f"session {n} asked {q!r}: expected {expected}, got {cited[:3]}")

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, range(sessions)))
    report.seconds = time.perf_counter() - t0
    return report


def _check_api(url: str) -> None:
    import httpx

    try:
        r = httpx.get(f"{url.rstrip('/')}/api/health", timeout=30)
    except httpx.HTTPError as exc:
        raise ValueError(f"无法连接 {url}：{type(exc).__name__}") from None
    if r.status_code == 404:
        raise ValueError("该服务没有开启 JSON 接口：执法人员负载测试需要 `yiju serve --api`。")


def _record(report: LoadReport, lock: threading.Lock, *, error: str = "", leak: str = "",
            latency_ms: float | None = None) -> None:
    with lock:
        if error:
            report.errors.append(error)
        if leak:
            report.leaks.append(leak)
        if latency_ms is not None:
            report.latencies_ms.append(latency_ms)


def _officer_session(url: str, n: int, questions: int, user: str, password: str, report: LoadReport,
                     lock: threading.Lock) -> None:
    """One officer: its own login (token), follow-ups in its own session, then logout."""
    import httpx

    first, expected = SESSION_PLANS[n % len(SESSION_PLANS)]
    with httpx.Client(base_url=url, timeout=120) as http:
        r = http.post("/api/login", json={"user": user, "password": password})
        if r.status_code != 200:
            _record(report, lock, error=f"session {n}: login {r.status_code}: {r.text[:100]}")
            return
        headers = {"Authorization": f"Bearer {r.json()['token']}"}
        session = f"load-{n}-{time.time_ns()}"
        for i in range(questions):
            q = first if i % 5 == 0 else FOLLOW_UPS[(i - 1) % len(FOLLOW_UPS)]
            t = time.perf_counter()
            try:
                r = http.post("/api/ask", json={"question": q, "session": session}, headers=headers)
            except httpx.HTTPError as exc:
                _record(report, lock, error=f"session {n}: {type(exc).__name__}: {str(exc)[:100]}")
                continue
            if r.status_code != 200:
                _record(report, lock, error=f"session {n}: {r.status_code}: {r.text[:100]}")
                continue
            cited = [c["provision_id"] for c in r.json()["citations"]]
            leak = "" if expected in cited else f"session {n} asked {q!r}: expected {expected}, got {cited[:3]}"
            _record(report, lock, leak=leak, latency_ms=(time.perf_counter() - t) * 1000)
        http.post("/api/logout", headers=headers)


def _text(content: object) -> str:
    """A chat message's text (Gradio 6 sends a list of typed parts)."""
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return str(content or "")


def _public_session(url: str, n: int, questions: int, report: LoadReport, lock: threading.Lock) -> None:
    """One member of the public on the page's endpoint (its own gradio_client session)."""
    from gradio_client import Client

    try:
        client = Client(url, verbose=False)
    except Exception as exc:
        _record(report, lock, error=f"session {n}: connect: {type(exc).__name__}")
        return
    for i in range(questions):
        q, must = PUBLIC_QUESTIONS[(n + i) % len(PUBLIC_QUESTIONS)]
        t = time.perf_counter()
        try:
            history, _ = client.predict(q, api_name="/public_ask")
        except Exception as exc:
            _record(report, lock, error=f"session {n}: {type(exc).__name__}: {str(exc)[:100]}")
            continue
        asked, reply = (_text(m.get("content")) for m in history[-2:]) if len(history) >= 2 else ("", "")
        if "过于频繁" in reply:
            _record(report, lock, error=f"session {n}: rate limited", latency_ms=(time.perf_counter() - t) * 1000)
        else:
            leak = "" if must in reply and asked == q else f"session {n} asked {q!r}: reply does not answer it"
            _record(report, lock, leak=leak, latency_ms=(time.perf_counter() - t) * 1000)


def run_http(url: str, sessions: int = 50, questions: int = 20, workers: int = 16, user: str | None = None,
             password: str | None = None) -> LoadReport:
    """Drive a running server on loopback. With `user`/`password` (an officer account) every simulated officer
    logs in for its own token and asks follow-ups through /api/ask (`yiju serve --api`), governed by the
    per-token officer limits; without, anonymous sessions use the page's public endpoint, which the per-address
    public limits throttle by design (all sessions share 127.0.0.1)."""
    _check_loopback(url)
    if user:
        _check_api(url)
    report = LoadReport(sessions, questions)
    lock = threading.Lock()

    def one(n: int) -> None:
        if user:
            _officer_session(url.rstrip("/"), n, questions, user, password or "", report, lock)
        else:
            _public_session(url, n, questions, report, lock)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, range(sessions)))
    report.seconds = time.perf_counter() - t0
    return report
