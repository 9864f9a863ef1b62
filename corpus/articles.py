"""The article parser: lines of a legal text → chapters, articles (条), paragraphs (款), items (项)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from corpus.models import Document, Provision
from corpus.numerals import cn_to_int, numbered

ARTICLE_NO = r"^第{n}条(?:之([一二三四五六七八九十]+))?"  # 第一百二十条之一: number, then 之 suffix
REST = r"[\s\u3000]*(.*)$"  # the heading's text after the number
ARTICLE = numbered(ARTICLE_NO + r"(?:[\s\u3000]+|$)(.*)$")
ARTICLE_LOOSE = numbered(ARTICLE_NO + r"(.*)$")
CHAPTER, SECTION = (numbered(f"^第{{n}}{unit}{REST}") for unit in "章节")
ITEM = re.compile(r"^[（(]([一二三四五六七八九十]+)[)）]" + REST)
INLINE_ITEM = re.compile(r"[（(]([一二三四五六七八九十]+)[)）]")
PAGE_NOISE = re.compile(r"^[\s\-—–_·•\d第页/共]*$")
SENTENCE_END = tuple("。；：！？」”』）)")


@dataclass
class Paragraph:
    text: str
    items: list[str] = field(default_factory=list)

    @property
    def full_text(self) -> str:
        return "\n".join([self.text, *self.items]) if self.items else self.text


@dataclass
class Article:
    number: int
    suffix: int = 0
    chapter: str = ""
    section: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    source_note: str = ""  # a defect of the source this article's text carries (corpus/data/source_fixes.yaml)

    @property
    def text(self) -> str:
        return "\n".join(p.full_text for p in self.paragraphs)


def clean_line(line: str) -> str:
    """Strip markdown emphasis/heading marks and surrounding spaces."""
    line = line.strip().lstrip("#").strip()
    return line.replace("**", "")


def reflow(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines (PDF/TXT extraction) back into paragraphs."""
    out: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line or PAGE_NOISE.match(line):
            continue
        starts_block = bool(ARTICLE_LOOSE.match(line) or CHAPTER.match(line) or SECTION.match(line) or ITEM.match(line))
        if out and not starts_block and not out[-1].endswith(SENTENCE_END):
            out[-1] += line
        else:
            out.append(line)
    return out


def split_inline_items(text: str) -> Paragraph:
    """'…有下列行为之一的：（一）…；（二）…。' → lead paragraph + items, when numbered 一, 二, … in order."""
    marks = list(INLINE_ITEM.finditer(text))
    if len(marks) < 2:
        return Paragraph(text)
    try:
        numbers = [cn_to_int(m.group(1)) for m in marks]
    except ValueError:
        return Paragraph(text)
    if numbers != list(range(1, len(numbers) + 1)):
        return Paragraph(text)
    lead = text[: marks[0].start()]
    if not lead.rstrip().endswith(("：", ":")):
        return Paragraph(text)
    items = [text[m.start() : (marks[i + 1].start() if i + 1 < len(marks) else len(text))].strip() for i, m in enumerate(marks)]
    return Paragraph(lead.strip(), items)


def add_line(article: Article, line: str) -> None:
    """Add one line to an article: an item of the last paragraph, or a new paragraph."""
    if ITEM.match(line) and article.paragraphs:
        article.paragraphs[-1].items.append(line)
    else:
        article.paragraphs.append(split_inline_items(line))


def parse_articles(lines: list[str], strict_space: bool = True) -> tuple[list[Article], list[str]]:
    """Parse body lines into articles. Returns (articles, preamble lines)."""
    pattern = ARTICLE if strict_space else ARTICLE_LOOSE
    articles: list[Article] = []
    preamble: list[str] = []
    chapter = section = ""
    last = (0, 0)
    for raw in lines:
        line = clean_line(raw)
        if not line:
            continue
        if m := CHAPTER.match(line):
            chapter, section = f"第{m.group(1)}章 {m.group(2).strip()}".strip(), ""
            continue
        if m := SECTION.match(line):
            section = f"第{m.group(1)}节 {m.group(2).strip()}".strip()
            continue
        m = pattern.match(line)
        if m:
            number = cn_to_int(m.group(1))
            suffix = cn_to_int(m.group(2)) if m.group(2) else 0
            # An article heading must move forward; '第三条规定的…' inside an article is a paragraph.
            if (number, suffix) > last:
                last = (number, suffix)
                article = Article(number, suffix, chapter, section)
                articles.append(article)
                body = m.group(3).strip()
                if body:
                    add_line(article, body)
                continue
        if articles:
            add_line(articles[-1], line)
        else:
            preamble.append(line)
    if strict_space and not articles:
        return parse_articles(lines, strict_space=False)
    return articles, preamble


def article_key(number: int, suffix: int = 0) -> str:
    """93 → '93', 120 之一 → '120-1'."""
    return f"{number}-{suffix}" if suffix else str(number)


def provisions_for(doc: Document, articles: list[Article]) -> list[Provision]:
    """Article, paragraph and item provisions for a document's parsed articles."""
    out: list[Provision] = []
    for art in articles:
        aid = f"{doc.key}/{article_key(art.number, art.suffix)}"
        common = dict(doc_key=doc.key, doc_title=doc.title, article=art.number, article_suffix=art.suffix,
                      chapter=art.chapter, section=art.section, n_paras=len(art.paragraphs),
                      source_note=art.source_note)
        out.append(Provision(id=aid, text=art.text, kind="article", **common))
        for pi, para in enumerate(art.paragraphs, 1):
            out.append(Provision(id=f"{aid}/{pi}", text=para.full_text, kind="paragraph", para=pi, **common))
            for ii, item in enumerate(para.items, 1):
                m = ITEM.match(item)
                try:
                    ii = cn_to_int(m.group(1)) if m else ii
                except ValueError:
                    pass
                out.append(Provision(id=f"{aid}/{pi}/{ii}", text=item, kind="item", para=pi, item=ii, **common))
    return out


def join_broken_lines(lines: list[str], ends: tuple[str, ...] = ("。", "；", "：", "！", "？", "”"),
                      starts: Callable[[str, str], bool] | None = None) -> list[str]:
    """Re-join a line the source broke mid-sentence ('情节严重的，\\n并处…'): a 款 or 项 ends with one of `ends`;
    `starts(previous, line)` says when a line begins a new block even so. Blank lines are dropped."""
    out: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and not out[-1].endswith(ends) and not (starts and starts(out[-1], line)):
            out[-1] += line
        else:
            out.append(line)
    return out
