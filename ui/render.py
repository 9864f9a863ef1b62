"""Pure HTML for the page: clause cards and panels, the article view, the answer laid out answer-first, the
conversation list, quiz preview rows and download links. No Gradio, no I/O except reading the corpus."""

from __future__ import annotations

import html
import re
from collections import Counter

from ui.downloads import EXPORT_TTL_S

PANEL_EMPTY = "<p class='hint'>提问后在此显示引用的条文（条文出处、文件、版本日期、效力与原文）。</p>"
ARTICLE_EMPTY = "<p class='hint'>点击引用条文卡片，查看整条原文及其相邻条文。</p>"
HISTORY_EMPTY = "<p class='hint'>还没有保存的对话。</p>"
PENDING = "正在检索…"
GROWING_HEADING = "### 回答（模型整理中，每句通过引用核查后显示）"
GROWING_HINT = "<p class='hint answer-growing'>模型仍在整理回答……条文卡片、版本与效力随完整回答显示；如有一句未通过核查，将改用抽取式答案。</p>"
# Sections an officer reads first stay open; the long reference parts fold open on demand.
FOLDED = ("适用说明", "相关案例", "版本与效力", "引用条文")
FIRST = ("结论", "处罚依据与幅度")  # shown before everything else (a clarifying "两种理解" comes after them)
MARKER = re.compile(r"\[(\d{1,3})\](?!\()")


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def badge(status: str) -> str:
    cls = "" if status == "现行有效" else "bad" if "废止" in status else "warn"
    return f"<span class='badge {cls}' title='效力'>{html.escape(status or '效力未载')}</span>"


def marked_text(article: str, cited: str) -> str:
    """The article's text (escaped) with the cited 款/项 wrapped in <mark>; the cited text alone when it is not
    part of the article."""
    if cited and article and cited != article and cited in article:
        i = article.index(cited)
        return (html.escape(article[:i]) + "<mark class='cited'>" + html.escape(cited) + "</mark>"
                + html.escape(article[i + len(cited):]))
    return html.escape(cited or article)


def card(n: int | str, pid: str, citation: str, doc: tuple[str, str, str, str], body_html: str, role: str = "",
         clickable: bool = True, current: bool = False) -> str:
    """One clause card. `doc` is (title, type, version date, status); `body_html` is already escaped."""
    title, doc_type, version_date, status = doc
    attrs = (f" data-pid='{_e(pid)}' data-n='{_e(n)}' tabindex='0' role='button' title='查看整条及相邻条文'"
             if clickable else "")
    classes = "clause" + (" pick" if clickable else "") + (" current" if current else "")
    head = f"[{html.escape(str(n))}] " if n != "" else ""
    role_html = f"<span class='role'>{html.escape(role)}</span>" if role else ""
    more = "<div class='more'>点击查看整条及相邻条文 ›</div>" if clickable else ""
    return (f"<div class='{classes}'{attrs}><h4>{head}{html.escape(citation)} {badge(status)}{role_html}</h4>"
            f"<div class='meta'>文件：<b>{html.escape(title)}</b>（{html.escape(doc_type)}）｜版本日期："
            f"<b>{html.escape(version_date or '未载')}</b></div>"
            f"<div class='text'>{body_html}</div>{more}</div>")


def _article_text(pid: str, text: str, corpus) -> str:
    p = corpus.provisions.get(pid) if corpus is not None else None
    art = corpus.provisions.get(p.article_id) if p is not None else None
    return marked_text(art.text if art is not None else text, text)


def clause_panel(citations: list, warnings: list[str] | None = None, aid: str = "", corpus=None) -> str:
    """Cards of one answer (citation, document, version date, validity badge, verbatim text with the cited 款/项
    marked in its article when `corpus` is given), wrapped in a section tagged with the answer's id."""
    out = [f"<div class='warnbox'>⚠ {html.escape(w)}</div>" for w in (warnings or [])]
    if not citations:
        out.append("<p class='hint'>（本回答没有引用条文）</p>")
    for c in citations:
        body = _article_text(c.provision_id, c.text, corpus) if corpus is not None else html.escape(c.text)
        out.append(card(c.n, c.provision_id, c.citation, (c.doc_title, c.doc_type, c.version_date, c.status), body,
                        c.role))
    return f"<section class='answer-cites' data-aid='{_e(aid)}'>" + "\n".join(out) + "</section>"


def panels(sections: list[str]) -> str:
    """The clause panel: one section per answer (the newest shown; the page's script shows the others when their
    answer is read or one of its [n] markers is clicked)."""
    if not sections:
        return PANEL_EMPTY
    return "\n".join(sections[:-1]).replace("class='answer-cites'", "class='answer-cites' hidden") + \
        "\n" + sections[-1]


def article_view(provision_id: str, corpus) -> str:
    """The whole article of a provision, with its validity notes and its neighbouring articles."""
    from corpus.history import describe

    p = corpus.provisions.get(provision_id or "") if isinstance(provision_id, str) else None
    if p is None:
        return "<p class='hint'>没有找到该条文。</p>"
    art = corpus.provisions.get(p.article_id) or p
    doc = corpus.documents[art.doc_key]
    meta = (doc.title, doc.doc_type, doc.version_date, doc.status)
    out = []
    if art.id != p.id:
        out.append(f"<p class='hint'>引用的是{html.escape(p.citation)}（下文以底色标出）；以下为整条原文。</p>")
    notes = describe(corpus, art.id)
    if notes:
        out.append("<div class='warnbox'>" + "<br>".join(html.escape(n.strip()) for n in notes) + "</div>")
    out.append(card("", art.id, art.citation, meta, marked_text(art.text, p.text), "本条", clickable=False,
                    current=True))
    for n in corpus.neighbours(art.id):
        where = "上一条" if (n.article or 0) < (art.article or 0) else "下一条"
        out.append(card("", n.id, n.citation, meta, html.escape(n.text), where, clickable=False))
    return "\n".join(out)


def _sections(markdown: str) -> tuple[str, list[tuple[str, str]], str]:
    """(text before the first heading, [(heading, body)], closing disclaimer) of an answer's markdown."""
    body, sep, tail = markdown.rpartition("\n---\n")
    if not sep:
        body, tail = markdown, ""
    parts = re.split(r"(?m)^### (.+)$", body)
    head, rest = parts[0], parts[1:]
    return head, [(rest[i].strip(), rest[i + 1].strip("\n")) for i in range(0, len(rest), 2)], tail.strip()


def link_markers(markdown: str, aid: str) -> str:
    """[n] → a clickable marker that selects card n of this answer in the clause panel. The chat's sanitiser drops
    data-* attributes, so the answer id and n travel in the href (#cite-<aid>-<n>)."""
    return MARKER.sub(lambda m: f"<a class='cite' href='#cite-{_e(aid)}-{m.group(1)}' "
                                f"title='查看引用条文 [{m.group(1)}]'>[{m.group(1)}]</a>", markdown)


def answer_markdown(markdown: str, aid: str, links: bool = True) -> str:
    """An answer laid out answer-first: the conclusion and the penalty table first, the other short sections open;
    适用说明, cases, 版本与效力 and 引用条文 folded (<details>); [n] markers clickable when `links` (the public tab
    has no clause panel); the disclaimer last."""
    head, sections, tail = _sections(markdown)
    sections.sort(key=lambda s: FIRST.index(s[0]) if s[0] in FIRST else len(FIRST))  # stable: the rest keep order
    out = [f"<span class='answer-top' id='answer-{_e(aid)}'></span>", head.strip()]
    for title, body in sections:
        if title in FOLDED:
            out.append(f"<details class='fold'><summary>{html.escape(title)}</summary>\n\n{body}\n\n</details>")
        else:
            out.append(f"### {title}\n{body}")
    if tail:
        out.append(f"<p class='disclaimer'>{html.escape(tail.strip('*'))}</p>")
    body = "\n\n".join(p for p in out if p)
    return link_markers(body, aid) if links else body


def growing(checked: str) -> str:
    """The answer bubble while a model's reply streams: the sentences that have passed the citation check so far.
    No answer-top anchor (the page scrolls to an answer's top once it is complete) and no [n] links (its clause
    cards come with the finished answer)."""
    return f"{GROWING_HEADING}\n{checked}\n\n{GROWING_HINT}"


def conversation_list(rows: list[dict], current: str = "") -> str:
    """The user's conversations, newest first; each item selects its conversation."""
    if not rows:
        return HISTORY_EMPTY
    items = []
    for r in rows:
        cls = "conv current" if r["id"] == current else "conv"
        items.append(f"<li><button type='button' class='{cls}' data-cid='{_e(r['id'])}' title='打开这次对话'>"
                     f"<span class='conv-title'>{html.escape(r['title'] or '（无标题）')}</span>"
                     f"<span class='conv-time'>{html.escape(r['updated'])}</span></button></li>")
    return "<ul class='convs'>" + "".join(items) + "</ul>"


def chapter_choices(corpus, doc_keys: list[str] | None, limit: int = 60) -> list[str]:
    """Chapter names of the chosen documents (or the commonest ones of all documents in force)."""
    keys = set(doc_keys or [k for k, d in corpus.documents.items() if d.doc_type != "典型案例" and d.in_force])
    names = [p.chapter.strip() for p in corpus.provisions.values()
             if p.doc_key in keys and p.kind == "article" and p.chapter and p.chapter.strip()]
    if doc_keys:  # in document order
        return list(dict.fromkeys(names))[:limit]
    return [name for name, _ in Counter(names).most_common(limit)]


def quiz_rows(questions: list) -> list[list[str]]:
    rows = []
    for q in questions:
        opts = "\n".join(f"{'ABCD'[i]}. {o}" for i, o in enumerate(q.options[:4])) if q.options else ""
        rows.append([q.qtype, q.stem, opts, q.answer, q.citation])
    return rows


def download_link(key: str, name: str) -> str:
    """The one-time link (relative, so it also works under a reverse proxy's sub-path)."""
    return (f"<a class='download' href='download/{_e(key)}' download='{_e(name)}'>下载 {html.escape(name)}</a>"
            f"<p class='hint'>链接仅限本次登录、本机使用一次，{EXPORT_TTL_S // 60} 分钟内有效。</p>")
