"""A bounded load test (loopback only): concurrent sessions asking questions, with latency and isolation checks.

Two drivers: `inprocess` (threads calling assistant.ask with per-session follow-ups, checking that no session
sees another's context) and `http` (threads with their own gradio_client sessions against a running server's
public endpoint, checking that each reply answers its own question)."""

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
            except Exception as exc:  # noqa: BLE001 - counted, not raised
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


def run_http(url: str, sessions: int = 50, questions: int = 20, workers: int = 16) -> LoadReport:
    """Drive a running server's public endpoint on loopback, one gradio_client session per simulated user."""
    from gradio_client import Client

    _check_loopback(url)
    report = LoadReport(sessions, questions)
    lock = threading.Lock()

    def text_of(history: list) -> str:
        content = history[-1]["content"] if history else ""
        if isinstance(content, list):
            return "".join(p.get("text", "") for p in content if isinstance(p, dict))
        return str(content)

    def one(n: int) -> None:
        try:
            client = Client(url, verbose=False)
        except Exception as exc:  # noqa: BLE001
            with lock:
                report.errors.append(f"session {n}: connect: {type(exc).__name__}")
            return
        for i in range(questions):
            q, must = PUBLIC_QUESTIONS[(n + i) % len(PUBLIC_QUESTIONS)]
            t = time.perf_counter()
            try:
                history, _ = client.predict(q, api_name="/public_ask")
            except Exception as exc:  # noqa: BLE001
                with lock:
                    report.errors.append(f"session {n}: {type(exc).__name__}: {str(exc)[:100]}")
                continue
            with lock:
                report.latencies_ms.append((time.perf_counter() - t) * 1000)
            reply = text_of(history)
            if "过于频繁" in reply:
                with lock:
                    report.errors.append(f"session {n}: rate limited")
            elif must not in reply or len(history) != 2:
                with lock:
                    report.leaks.append(f"session {n} asked {q!r}: reply does not answer it")

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, range(sessions)))
    report.seconds = time.perf_counter() - t0
    return report
