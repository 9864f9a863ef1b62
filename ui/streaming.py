"""An answer whose LLM reply streams: the question is answered in a worker thread while the page's generator
handler yields the checked part of the reply as it grows (assistant.llm hands over only text that passed the
citation checker), then the finished Answer. Without a streaming LLM the answer is computed in place."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator

from assistant.models import Answer

Sink = Callable[[str], None]
_DONE = object()


class Cancelled(Exception):
    """The page went away while the reply was streaming (the stream is dropped; assistant.llm falls back)."""


def answer_stream(run: Callable[[Sink | None], Answer]) -> Iterator[str | Answer]:
    """Yield the newest checked text each time it grows, then the Answer `run(sink)` returns; `run`'s exception,
    if any, is raised here. Closing the iterator early ends the model's stream at its next sentence."""
    from assistant import llm

    if not llm.streams():
        yield run(None)
        return
    texts: queue.SimpleQueue = queue.SimpleQueue()
    stop = threading.Event()
    outcome: dict[str, object] = {}

    def sink(text: str) -> None:
        if stop.is_set():
            raise Cancelled
        texts.put(text)

    def work() -> None:
        try:
            outcome["answer"] = run(sink)
        except BaseException as exc:  # handed to the caller's thread below
            outcome["error"] = exc
        finally:
            texts.put(_DONE)

    threading.Thread(target=work, name="yiju-answer", daemon=True).start()
    try:
        yield from _newest(texts)
    finally:
        stop.set()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    yield outcome["answer"]  # type: ignore[misc]


def _newest(texts: queue.SimpleQueue) -> Iterator[str]:
    """Each text as it comes, skipping any already overtaken by a longer one, until the worker is done."""
    while True:
        item = texts.get()
        while item is not _DONE and not texts.empty():
            item = texts.get()
        if item is _DONE:
            return
        yield item
