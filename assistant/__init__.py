"""Assistant: question → answer with verified citations (extractive; an LLM is optional)."""

from __future__ import annotations

from collections.abc import Callable

from assistant.models import Answer, Citation

__all__ = ["Answer", "Citation", "ask"]


def ask(question: str, session: object | None = None, mode: str = "officer",
        on_text: Callable[[str], None] | None = None) -> Answer:
    """Answer one question; `session` (an assistant.session.Session or a session id) carries follow-ups. When an
    LLM is configured and streams, `on_text` receives the part of its reply that has passed the citation check
    so far (the returned Answer is the same as without it)."""
    from assistant.engine import ask as _ask

    return _ask(question, session=session, mode=mode, on_text=on_text)
