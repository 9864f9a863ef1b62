"""Assistant: question → answer with verified citations (extractive; an LLM is optional)."""

from __future__ import annotations

from assistant.models import Answer, Citation

__all__ = ["Answer", "Citation", "ask"]


def ask(question: str, session: object | None = None, mode: str = "officer") -> Answer:
    """Answer one question; `session` (an assistant.session.Session or a session id) carries follow-ups."""
    from assistant.engine import ask as _ask

    return _ask(question, session=session, mode=mode)
