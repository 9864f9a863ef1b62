"""The shape the code keeps (issue 18): no function in assistant/, index/ or ui/ longer than 60 lines."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("assistant", "index", "ui")
MAX_LINES = 60


def long_functions(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES, limit: int = MAX_LINES) -> list[str]:
    """'path:line name (n lines)' for every function or method (nested ones too) longer than `limit` lines."""
    out = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    lines = node.end_lineno - node.lineno + 1
                    if lines > limit:
                        out.append(f"{path.relative_to(root)}:{node.lineno} {node.name} ({lines} lines)")
    return out


def test_no_function_is_longer_than_60_lines():
    assert long_functions() == []


def test_the_check_sees_a_long_function(tmp_path):
    (tmp_path / "pkg").mkdir()
    body = "".join(f"    x{n} = {n}\n" for n in range(MAX_LINES))
    (tmp_path / "pkg" / "m.py").write_text(f"def short():\n    pass\n\n\ndef long():\n{body}", "utf-8")
    assert long_functions(tmp_path, ("pkg",)) == [f"pkg/m.py:5 long ({MAX_LINES + 1} lines)"]
