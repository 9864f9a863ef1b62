"""Sliding-window rate limiters, enforced in the server-side handlers (per client key).

A limiter with a `name` keeps its counters in the store shared by all workers (ui.store, SQLite in YIJU_HOME),
so N workers do not multiply the budget by N; without a name it counts in this process only (tests, tools)."""

from __future__ import annotations

import threading
import time


class RateLimiter:
    """At most `limit` events per `window_s` seconds per key; refused calls do not count."""

    def __init__(self, limit: int, window_s: float, max_keys: int = 10000, name: str | None = None) -> None:
        self.limit, self.window, self.max_keys, self.name = limit, window_s, max_keys, name
        self._hits: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: str, now: float | None = None) -> float:
        """0 when the call is allowed (and counted); else the seconds until it would be."""
        now = time.time() if now is None else now
        if self.name:
            from ui import store

            return store.hit(f"rl:{self.name}", key, self.limit, self.window, now)
        with self._lock:
            hits = [t for t in self._hits.get(key, []) if now - t < self.window]
            if len(hits) >= self.limit:
                self._hits[key] = hits
                return max(0.1, self.window - (now - hits[0]))
            hits.append(now)
            self._hits[key] = hits
            if len(self._hits) > self.max_keys:
                self._hits = {k: v for k, v in self._hits.items() if v and now - v[-1] < self.window}
            return 0.0

    def allow(self, key: str) -> bool:
        return self.retry_after(key) == 0.0

    def reset(self) -> None:
        if self.name:
            from ui import store

            store.clear(f"rl:{self.name}")
        with self._lock:
            self._hits.clear()


class PublicLimits:
    """The public mode's limits: per client address + browser session, and per address (so that a client
    cannot escape the first by opening new sessions). `name` shares the counters between workers."""

    def __init__(self, per_session: int = 10, per_address: int = 60, window_s: float = 60,
                 name: str | None = None) -> None:
        self.session = RateLimiter(per_session, window_s, name=f"{name}-session" if name else None)
        self.address = RateLimiter(per_address, window_s, name=f"{name}-address" if name else None)

    def retry_after(self, address: str, session: str) -> float:
        wait = self.session.retry_after(f"{address}|{session}")
        if wait:
            return wait
        return self.address.retry_after(address)

    def reset(self) -> None:
        self.session.reset()
        self.address.reset()
