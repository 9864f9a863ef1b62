"""Compatibility path: the exports live in `assistant.quiz.export` (kept while ui/app.py imports this name)."""

from __future__ import annotations

from assistant.quiz.export import (
    XLSX_HEADER,
    gift_escape,
    set_text,
    to_docx,
    to_gift,
    to_json,
    to_xlsx,
    write,
)
from assistant.quiz.paper import SECTION_TITLES

__all__ = ["SECTION_TITLES", "XLSX_HEADER", "gift_escape", "set_text", "to_docx", "to_gift", "to_json", "to_xlsx",
           "write"]
