"""Tools for writing eval questions blind: dump the corpus texts with their ids, check a question file.

    python -m evals.devset_tools dump OUT_DIR      # one text file per document: "<id>\t<text>" per article
    python -m evals.devset_tools check FILE.jsonl  # every id in lead/relevant exists; required fields present

Only the corpus parser is used (documents → provisions), never the assistant.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

KINDS = {"penalty", "basis", "fact", "authority", "procedure", "crime", "public", "plan", "decline"}
STYLES = {"colloquial", "officer", "case_facts", "traditional", "dated", "old_number", "public", "trainer"}
REQUIRED = ("id", "question", "kind", "style")


def dump(out_dir: Path) -> None:
    """Write every article/plan item/case of the corpus, grouped by document."""
    from corpus.load import load_corpus

    corpus = load_corpus()
    out_dir.mkdir(parents=True, exist_ok=True)
    by_doc: dict[str, list[str]] = {}
    for p in corpus.provisions.values():
        if p.kind in ("paragraph", "item"):
            continue
        by_doc.setdefault(p.doc_key, []).append(f"{p.id}\t{p.chapter}\t{p.text}")
    for key, lines in by_doc.items():
        doc = corpus.documents.get(key)
        head = f"# {doc.title if doc else key} | key={key} | status={getattr(doc, 'status', '')}\n"
        (out_dir / f"{key.replace('/', '_')}.txt").write_text(head + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(by_doc)} documents written to {out_dir}")


def check(path: Path) -> int:
    """Print every problem in a question file; return the count."""
    from corpus.load import load_corpus

    ids = {p.article_id for p in load_corpus().provisions.values()} | set(load_corpus().provisions)
    problems, seen = 0, set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            print(f"{path}:{n}: bad JSON: {exc}")
            problems += 1
            continue
        msgs = [f"missing {k}" for k in REQUIRED if not item.get(k)]
        msgs += [f"duplicate id {item.get('id')}"] if item.get("id") in seen else []
        seen.add(item.get("id"))
        msgs += [f"unknown kind {item.get('kind')}"] if item.get("kind") not in KINDS else []
        msgs += [f"unknown style {item.get('style')}"] if item.get("style") not in STYLES else []
        if item.get("kind") != "decline" and not item.get("lead"):
            msgs.append("no lead ids")
        msgs += [f"unknown id {i}" for i in item.get("lead", []) + item.get("relevant", []) if i not in ids]
        for m in msgs:
            print(f"{path}:{n}: {m}")
        problems += len(msgs)
    print(f"{path}: {problems} problem(s)")
    return problems


if __name__ == "__main__":
    cmd, arg = sys.argv[1], Path(sys.argv[2])
    sys.exit(dump(arg) if cmd == "dump" else min(check(arg), 1))
