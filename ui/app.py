"""The Gradio app: 执法人员 chat with a clause panel, 培训 quiz builder, 公众咨询 FAQ.

Access control lives in the handlers, not in the page:

* a login puts a random token into gr.State. Gradio keeps State on the server (it is never sent to the
  browser and cannot be supplied by an API caller), and the token is bound to the client address;
* both chat histories are kept server-side too (gr.State, plain role + text messages): a history sent by a
  client is never read, so it cannot smuggle file references into the reply;
* every officer/trainer handler calls `auth.check(token, roles, address)` itself and refuses without a valid
  login. These handlers are `api_visibility="private"` (left out of the API docs and the Python client), but
  that is only a convenience: a raw HTTP call by fn_index reaches the same check;
* the only public endpoint is `/public_ask`: it always calls the assistant with mode="public" (so FAQ scope
  only, see assistant.public) and is rate-limited per client address + session and per address, with counters
  shared by all workers;
* quiz exports are downloaded through a one-time link (`download/<key>`, see ui.api) that only works for the
  login and client address that made the export, for EXPORT_TTL_S seconds; the files are then deleted.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import math
import shutil
import uuid
from collections import Counter
from pathlib import Path

import gradio as gr

from ui import audit, auth, feedback
from ui.downloads import EXPORT_TTL_S
from ui.ratelimit import PublicLimits

log = logging.getLogger("yiju.ui")

TITLE = "依据 Yiju — 检验检测监管法律依据助手"
OFFICER_EXAMPLES = [
    "电梯检验机构出具虚假报告怎么罚",
    "检验机构出具虚假报告罚多少？依据哪条？",
    "车检站出具虚假检验结果怎么罚？",
    "2025年3月排放检验机构出假报告怎么罚？",
    "检验检测机构未按规定标注资质认定标志怎么处理",
    "检验检测报告保存多少年？",
]
MAX_QUESTION = 1000  # characters taken from one question (the assistant truncates further)
MAX_HISTORY = 40  # chat messages kept per page (server-side)
MAX_MESSAGE = 20_000  # characters kept of one chat message
HISTORY_TTL_S = 3600  # an idle page's chat history is dropped after this
MAX_QUIZ = 200
PUBLIC_LIMITS = PublicLimits(per_session=10, per_address=60, window_s=60, name="public-page")
PANEL_EMPTY = "<p class='hint'>提问后在此显示引用的条文（条文出处、文件、版本日期、效力与原文）。</p>"
ARTICLE_EMPTY = "<p class='hint'>点击右侧（或下方）任一引用条文，查看整条原文及其相邻条文。</p>"
NEED_LOGIN = "请先登录（执法人员或培训账号）。"
# The trainer tab starts with the core inspection & testing texts selected (clear the field for all documents).
QUIZ_DEFAULT_DOCS = ["检验检测机构监督管理办法", "检验检测机构资质认定管理办法", "特种设备安全法", "检验检测领域综合治理行动方案"]
TOPIC_CHOICES = ["罚款数额", "倍数罚款", "执法主体", "期限", "条文定位", "所列情形", "虚假", "资质", "检验检测报告",
                 "特种设备", "机动车", "生态环境监测"]

CSS = """
#clause-panel, #article-view {font-size:14px}
.clause {border:1px solid var(--border-color-primary);border-radius:8px;padding:10px 12px;margin-bottom:10px;
  background:var(--block-background-fill);color:var(--body-text-color)}
.clause.pick {cursor:pointer} .clause.pick:hover, .clause.pick:focus {border-color:var(--color-accent);outline:none;
  box-shadow:0 0 0 2px var(--color-accent-soft)}
.clause h4 {margin:0 0 4px 0;font-size:15px;font-weight:600}
.clause .meta {color:var(--body-text-color-subdued);font-size:12.5px;margin-bottom:6px;line-height:1.7}
.clause .meta b {font-weight:500;color:var(--body-text-color)}
.clause .text {white-space:pre-wrap;font-size:14px;line-height:1.7}
.clause .role {font-size:12px;color:var(--body-text-color-subdued);margin-left:6px}
.clause .more {font-size:12px;color:var(--color-accent);margin-top:4px}
.clause.current {border-width:2px;border-color:var(--color-accent)}
.badge {display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;line-height:20px;color:#fff;background:#1a7f37}
.badge.bad {background:#cf222e} .badge.warn {background:#9a6700}
.warnbox {border-left:4px solid #9a6700;padding:6px 10px;margin-bottom:10px;font-size:13px;
  background:var(--block-background-fill)}
.hint {color:var(--body-text-color-subdued);font-size:13px}
"""
# Clicking (or pressing Enter on) a clause card asks the server for the whole article and its neighbours.
CLAUSE_JS = """
const pick = (card) => trigger('select', {index: Number(card.dataset.n), value: card.dataset.pid});
element.addEventListener('click', (e) => { const c = e.target.closest('[data-pid]'); if (c) pick(c); });
element.addEventListener('keydown', (e) => {
  const c = e.target.closest('[data-pid]'); if (c && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); pick(c); }
});
"""
SCROLL_TO_ARTICLE = "() => { document.getElementById('article-box')?.scrollIntoView({behavior: 'smooth', block: 'start'}); }"
COPY_BASIS = ("(text) => { try { if (text && navigator.clipboard) navigator.clipboard.writeText(text); } catch (e) {} "
              "return text; }")


# -- helpers ---------------------------------------------------------------------------------------------------

def _address(request: gr.Request | None) -> str:
    client = getattr(request, "client", None)
    return str(getattr(client, "host", "") or "") if client is not None else ""


def _session(request: gr.Request | None) -> str:
    return str(getattr(request, "session_hash", "") or "")


def _who(token: str, roles: tuple[str, ...], request: gr.Request | None) -> tuple[str, str] | None:
    return auth.check(token, roles, _address(request))


def _text(value: object, limit: int = MAX_QUESTION) -> str:
    return (value if isinstance(value, str) else "")[:limit]


def _plain(content: object) -> str | None:
    """The text of a chat message: a string, or the text parts of a list of typed parts; None otherwise."""
    if isinstance(content, str):
        return content[:MAX_MESSAGE]
    if isinstance(content, list):
        parts = [p["text"] for p in content if isinstance(p, dict) and p.get("type", "text") == "text"
                 and isinstance(p.get("text"), str) and set(p) <= {"type", "text"}]
        return "".join(parts)[:MAX_MESSAGE] if parts else None
    return None


def _history(history: object) -> list[dict]:
    """A chat history as plain messages ({"role": user|assistant, "content": str}), the newest MAX_HISTORY; files,
    components, metadata and anything malformed are dropped (one log line for the whole request)."""
    if not isinstance(history, list):
        return []
    out, dropped = [], 0
    for m in history[-MAX_HISTORY:]:
        text = _plain(m.get("content")) if isinstance(m, dict) and m.get("role") in ("user", "assistant") else None
        if text is None:
            dropped += 1
        else:
            out.append({"role": m["role"], "content": text})
    if dropped:
        log.warning("chat history: %d malformed message(s) dropped", dropped)
    return out


def _corpus():
    from corpus.load import load_corpus

    return load_corpus()


def badge(status: str) -> str:
    cls = "" if status == "现行有效" else "bad" if "废止" in status else "warn"
    return f"<span class='badge {cls}' title='效力'>{html.escape(status or '效力未载')}</span>"


def _card(n: int | str, pid: str, citation: str, doc_title: str, doc_type: str, version_date: str, status: str,
          text: str, role: str = "", clickable: bool = True, current: bool = False) -> str:
    attrs = (f" data-pid='{html.escape(pid, quote=True)}' data-n='{html.escape(str(n), quote=True)}' tabindex='0' "
             f"role='button' title='查看整条及相邻条文'") if clickable else ""
    classes = "clause" + (" pick" if clickable else "") + (" current" if current else "")
    head = f"[{html.escape(str(n))}] " if n != "" else ""
    role_html = f"<span class='role'>{html.escape(role)}</span>" if role else ""
    more = "<div class='more'>点击查看整条及相邻条文 ›</div>" if clickable else ""
    return (f"<div class='{classes}'{attrs}><h4>{head}{html.escape(citation)} {badge(status)}{role_html}</h4>"
            f"<div class='meta'>文件：<b>{html.escape(doc_title)}</b>（{html.escape(doc_type)}）｜版本日期："
            f"<b>{html.escape(version_date or '未载')}</b></div>"
            f"<div class='text'>{html.escape(text)}</div>{more}</div>")


def clause_panel(citations: list, warnings: list[str] | None = None) -> str:
    """HTML cards: citation, document, version date, validity badge, verbatim text; each card is clickable."""
    out = [f"<div class='warnbox'>⚠ {html.escape(w)}</div>" for w in (warnings or [])]
    if not citations:
        return "\n".join([*out, "<p class='hint'>（本回答没有引用条文）</p>"])
    for c in citations:
        out.append(_card(c.n, c.provision_id, c.citation, c.doc_title, c.doc_type, c.version_date, c.status, c.text,
                         c.role))
    return "\n".join(out)


def article_view(provision_id: str, corpus=None) -> str:
    """The whole article of a provision, with its validity notes and its neighbouring articles (HTML)."""
    from corpus.history import describe

    c = corpus or _corpus()
    p = c.provisions.get(provision_id or "") if isinstance(provision_id, str) else None
    if p is None:
        return "<p class='hint'>没有找到该条文。</p>"
    art = c.provisions.get(p.article_id) or p
    doc = c.documents[art.doc_key]
    out = []
    if art.id != p.id:
        out.append(f"<p class='hint'>引用的是{html.escape(p.citation)}；以下为整条原文。</p>")
    notes = describe(c, art.id)
    if notes:
        out.append("<div class='warnbox'>" + "<br>".join(html.escape(n.strip()) for n in notes) + "</div>")
    out.append(_card("", art.id, art.citation, doc.title, doc.doc_type, doc.version_date, doc.status, art.text,
                     "本条", clickable=False, current=True))
    for n in c.neighbours(art.id):
        where = "上一条" if (n.article or 0) < (art.article or 0) else "下一条"
        out.append(_card("", n.id, n.citation, doc.title, doc.doc_type, doc.version_date, doc.status, n.text,
                         where, clickable=False))
    return "\n".join(out)


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


# -- handlers (each one checks the server-side session itself) -------------------------------------------------

def do_login(user: str, password: str, old_token: str, request: gr.Request):
    auth.logout(old_token)
    r = auth.login(_text(user, 64), _text(password, 200), _address(request))  # audited by auth.login
    if not r.ok:
        return "", r.message, "", gr.update()
    return r.token, f"**{r.message}**", "", gr.Tabs(selected="officer" if r.role == "officer" else "trainer")


def do_logout(token: str, sid: str, request: gr.Request):
    who = _who(token, auth.ROLES, request)
    if who:
        audit.record(who[0], who[1], "logout", client=_address(request))
        from assistant.session import STORE

        STORE.drop(f"{who[0]}:{sid}")
    auth.logout(token)
    return ("", "已退出。", [], "", {}, PANEL_EMPTY, gr.Accordion(open=False), ARTICLE_EMPTY, "", [], [], None,
            "", [])


def officer_ask(question: str, history: list, token: str, sid: str, request: gr.Request):
    """`history` is the server-side chat state. Outputs: chat, question box, session id, last answer, clause
    panel, basis box, article box, article (the chat value is also stored back into the state)."""
    history = _history(history)
    q = _text(question).strip()
    who = _who(token, ("officer", "trainer"), request)
    if who is None:
        history.append({"role": "assistant", "content": NEED_LOGIN})
        return history, question, sid, {}, PANEL_EMPTY, "", gr.update(), gr.update()
    if not q:
        return history, "", sid, gr.update(), gr.update(), gr.update(), gr.update(), gr.update()
    from assistant import ask

    sid = sid if isinstance(sid, str) and sid else uuid.uuid4().hex
    try:
        a = ask(q, session=f"{who[0]}:{sid}", mode=who[1])
    except Exception:  # noqa: BLE001 - never show a traceback in the page
        log.exception("answer failed")
        history += [{"role": "user", "content": q}, {"role": "assistant", "content": "⚠ 内部错误，请稍后重试。"}]
        return history, "", sid, {}, PANEL_EMPTY, "", gr.update(), gr.update()
    cited = [c.provision_id for c in a.citations]
    audit.record(who[0], who[1], "ask", a.question or q, a.markdown, cited, client=_address(request))
    history += [{"role": "user", "content": q}, {"role": "assistant", "content": a.markdown}]
    last = {"question": a.question or q, "markdown": a.markdown, "basis": a.basis_paragraph, "citations": cited}
    return (history, "", sid, last, clause_panel(a.citations, a.warnings), "", gr.Accordion(open=False),
            ARTICLE_EMPTY)


def new_chat(token: str, sid: str, request: gr.Request):
    who = _who(token, ("officer", "trainer"), request)
    if who:
        from assistant.session import STORE

        STORE.drop(f"{who[0]}:{sid}")
    return [], "", {}, PANEL_EMPTY, "", gr.Accordion(open=False), ARTICLE_EMPTY, []


def show_basis(last: dict, token: str, request: gr.Request) -> str:
    if _who(token, ("officer", "trainer"), request) is None:
        return NEED_LOGIN
    basis = (last or {}).get("basis") if isinstance(last, dict) else ""
    return basis or "本回答没有可用于决定书的处罚依据（请先就具体违法行为提出处罚问题，例如：电梯检验机构出具虚假报告怎么罚）。"


def show_article(token: str, evt: gr.SelectData, request: gr.Request):
    if _who(token, ("officer", "trainer"), request) is None:
        return gr.Accordion(open=True), f"<p class='hint'>{NEED_LOGIN}</p>"
    pid = evt.value if isinstance(evt.value, str) else ""
    return gr.Accordion(open=True), article_view(pid[:200])


def rate(kind: str):
    def handler(last: dict, note: str, token: str, request: gr.Request):
        who = _who(token, ("officer", "trainer"), request)
        if who is None:
            return NEED_LOGIN, note
        if not isinstance(last, dict) or not last.get("question"):
            return "请先提问，再对回答评价。", note
        feedback.store(kind, last["question"], last.get("markdown", ""), last.get("citations", []),
                       _text(note, 2000), who[0], who[1])
        return ("已记录：👍 有用。谢谢！" if kind == "up" else "已记录：👎 有问题。谢谢，我们会核查。"), ""

    handler.__name__ = f"rate_{kind}"
    return handler


def quiz_chapters(token: str, docs: list, request: gr.Request):
    if _who(token, ("trainer",), request) is None:
        return gr.update()
    corpus = _corpus()
    keys = [d for d in (docs or []) if isinstance(d, str) and d in corpus.documents]
    return gr.Dropdown(choices=chapter_choices(corpus, keys))


def quiz_make(token: str, docs: list, chapters: list, topics: list, n_single: float, n_multi: float,
              n_judge: float, n_blank: float, level: str, seed: float, request: gr.Request):
    who = _who(token, ("trainer",), request)
    if who is None:
        return [], [], NEED_LOGIN
    from assistant.quiz import QuizError, build_quiz

    def count(x: object) -> int:
        try:
            return max(0, min(int(x or 0), 50))
        except (TypeError, ValueError, OverflowError):
            return 0

    def strings(x: object) -> list[str]:
        return [s.strip()[:50] for s in (x if isinstance(x, list) else []) if isinstance(s, str) and s.strip()][:20]

    counts = {"单选": count(n_single), "多选": count(n_multi), "判断": count(n_judge), "填空": count(n_blank)}
    if not sum(counts.values()):
        return [], [], "请至少为一种题型设置题目数量。"
    try:
        sd = int(seed or 0)
    except (TypeError, ValueError, OverflowError):
        sd = 0
    selection = {"documents": strings(docs), "chapters": strings(chapters), "topics": strings(topics),
                 "counts": counts, "difficulty": level, "seed": sd}
    try:
        qs = build_quiz(_corpus(), doc_keys=selection["documents"] or None, chapters=selection["chapters"] or None,
                        topics=selection["topics"] or None, counts=counts, difficulty=level or "中", seed=sd)[:MAX_QUIZ]
    except QuizError as exc:
        return [], [], f"⚠ {exc}"
    except Exception:  # noqa: BLE001 - never show a traceback in the page
        log.exception("quiz failed")
        return [], [], "⚠ 出题失败，请调整条件后重试。"
    audit.record(who[0], who[1], "quiz", json.dumps(selection, ensure_ascii=False), f"{len(qs)} 题",
                 list(dict.fromkeys(q.provision_id for q in qs)), client=_address(request))
    got = Counter(q.qtype for q in qs)
    short = [f"{t}{counts[t] - got[t]}题" for t in counts if got[t] < counts[t]]
    msg = (f"已生成 {len(qs)} 题（" + "，".join(f"{t}{got[t]}" for t in counts if got[t]) + "）。"
           + (f"所选范围内素材不足，少 {'、'.join(short)}。" if short else "")) if qs else \
        "所选范围内没有可出题的条文，请放宽条件（文件、章节或关键词）。"
    return quiz_rows(qs), [q.to_dict() for q in qs], msg


def _write_export(fmt: str, questions: list) -> tuple[Path, int]:
    from assistant.quiz import Question
    from assistant.quiz_export import to_docx, to_gift, to_xlsx
    from ui import downloads

    qs = [Question(**q) for q in questions]
    name = {"xlsx": "yiju-quiz.xlsx", "docx": "yiju-quiz.docx", "gift": "yiju-quiz-gift.txt"}[fmt]
    out = downloads.new_folder() / name
    try:
        if fmt == "xlsx":
            to_xlsx(qs, out)
        elif fmt == "docx":
            to_docx(qs, out)
        else:
            out.write_text(to_gift(qs), "utf-8")
    except BaseException:
        shutil.rmtree(out.parent, ignore_errors=True)
        raise
    return out, len(qs)


def download_link(key: str, name: str) -> str:
    """The one-time link (relative, so it also works under a reverse proxy's sub-path)."""
    return (f"<a class='download' href='download/{html.escape(key, quote=True)}' "
            f"download='{html.escape(name, quote=True)}'>下载 {html.escape(name)}</a>"
            f"<p class='hint'>链接仅限本次登录、本机使用一次，{EXPORT_TTL_S // 60} 分钟内有效。</p>")


def export(fmt: str):
    def handler(token: str, questions: list, request: gr.Request):
        who = _who(token, ("trainer",), request)
        if who is None:
            return None, NEED_LOGIN
        if not questions or not isinstance(questions, list):
            return None, "请先生成题目，再导出。"
        from ui import downloads

        try:
            out, n = _write_export(fmt, questions)
        except Exception:  # noqa: BLE001 - never show a traceback in the page
            log.exception("export failed")
            return None, "⚠ 导出失败，请重新生成题目后再试。"
        key = downloads.register(token, _address(request), out, out.name)
        audit.record(who[0], who[1], "export", fmt, f"{n} 题", list(dict.fromkeys(q["provision_id"] for q in questions)),
                     client=_address(request))
        return download_link(key, out.name), f"已导出 {n} 题（{fmt.upper()}），请在下方下载。"

    handler.__name__ = f"export_{fmt}"
    return handler


def public_ask(question: str, history: list, request: gr.Request):
    """公众咨询: always mode="public" (FAQ scope only), rate-limited per client; no login, no audit of the public."""
    from assistant import ask

    history = _history(history)
    q = _text(question, 500).strip()
    if not q:
        return history, ""
    wait = PUBLIC_LIMITS.retry_after(_address(request), _session(request))
    if wait:
        history += [{"role": "user", "content": q},
                    {"role": "assistant", "content": f"提问过于频繁，请 {math.ceil(wait)} 秒后再试。"}]
        return history, q
    try:
        a = ask(q, mode="public")
    except Exception:  # noqa: BLE001
        log.exception("public answer failed")
        history += [{"role": "user", "content": q}, {"role": "assistant", "content": "⚠ 暂时无法回答，请稍后再试。"}]
        return history, ""
    history += [{"role": "user", "content": q}, {"role": "assistant", "content": a.markdown}]
    return history, ""


def _keeps_history(fn):
    """Register `fn` so that its first output (the chat shown) is also written to the server-side history state."""

    @functools.wraps(fn)
    def handler(*args, **kwargs):
        out = fn(*args, **kwargs)
        return (*out, out[0])

    return handler


def public_topics(entries) -> list:
    """The FAQ entries the assistant answers now (assistant.faq's topics), so that the page offers no example
    question that would be declined."""
    try:
        from assistant.faq import TOPICS
    except ImportError:
        return list(entries)
    keys = {t.key for t in TOPICS}
    return [e for e in entries if e.key in keys] or list(entries)


# -- the page --------------------------------------------------------------------------------------------------

def build_app() -> gr.Blocks:
    from assistant.public import PUBLIC_FAQ

    corpus = _corpus()
    doc_choices = [(f"{k}（{d.doc_type}）", k) for k, d in corpus.documents.items() if d.doc_type != "典型案例"]
    faq = public_topics(PUBLIC_FAQ)
    public_examples = [q for e in faq for q in e.examples[:2]]
    default_docs = [k for k in QUIZ_DEFAULT_DOCS if k in corpus.documents]

    with gr.Blocks(title=TITLE, delete_cache=(600, 3600)) as demo:
        token = gr.State("")
        session_id = gr.State("")
        last = gr.State({})
        quiz_state = gr.State([])
        chat_state = gr.State([], time_to_live=HISTORY_TTL_S)  # the officer chat, server-side
        pub_state = gr.State([], time_to_live=HISTORY_TTL_S)  # the public chat, server-side
        gr.Markdown(f"# {TITLE}\n离线检索法律、法规、规章与《检验检测领域综合治理行动方案》，逐字引用条文并标注版本与效力。"
                    "回答供执法办案参考，不替代法制审核与集体讨论。")
        with gr.Accordion("登录（执法人员、培训模式需要登录；公众咨询无需登录）", open=True, elem_id="login-box"):
            with gr.Row(equal_height=True):
                username = gr.Textbox(label="用户名", elem_id="login-user", scale=2, max_length=64,
                                      autofocus=False)
                password = gr.Textbox(label="密码", type="password", elem_id="login-pass", scale=2, max_length=200)
                with gr.Column(scale=1, min_width=120):
                    login_btn = gr.Button("登录", variant="primary", elem_id="login-btn")
                    logout_btn = gr.Button("退出", elem_id="logout-btn")
            login_msg = gr.Markdown("未登录。账号由管理员用 `yiju users add` 创建。", elem_id="login-msg")
        with gr.Tabs() as tabs:
            with gr.Tab("执法人员", id="officer", elem_id="tab-officer"):
                with gr.Row():
                    with gr.Column(scale=11):
                        chat = gr.Chatbot(label="法律依据问答（需登录）", height=560, elem_id="officer-chat",
                                          buttons=["copy"])
                        question = gr.Textbox(label="问题", placeholder="例：电梯检验机构出具虚假报告怎么罚？依据哪条？",
                                              elem_id="officer-q", max_length=MAX_QUESTION, lines=2)
                        with gr.Row():
                            send = gr.Button("提问", variant="primary", elem_id="officer-send", scale=2)
                            clear = gr.Button("新对话", elem_id="officer-new", scale=1)
                        gr.Examples(OFFICER_EXAMPLES, inputs=question, label="示例问题", api_visibility="private")
                        basis_btn = gr.Button("复制为决定书依据", elem_id="basis-btn")
                        basis = gr.Textbox(label="行政处罚决定书依据段落（可直接复制）", lines=5, max_lines=12,
                                           buttons=["copy"], elem_id="basis", interactive=False)
                        with gr.Row(equal_height=True):
                            comment = gr.Textbox(label="反馈意见（可选）", scale=4, max_length=2000,
                                                 elem_id="fb-comment")
                            up = gr.Button("👍 有用", scale=1, elem_id="fb-up")
                            down = gr.Button("👎 有问题", scale=1, elem_id="fb-down")
                        fb_msg = gr.Markdown("", elem_id="fb-msg")
                    with gr.Column(scale=9):
                        gr.Markdown("### 引用条文\n点击条文卡片可查看整条原文及相邻条文。")
                        with gr.Accordion("整条及相邻条文", open=False, elem_id="article-box") as article_box:
                            article = gr.HTML(ARTICLE_EMPTY, elem_id="article-view")
                        panel = gr.HTML(PANEL_EMPTY, elem_id="clause-panel", js_on_load=CLAUSE_JS, max_height=900)
            with gr.Tab("培训", id="trainer", elem_id="tab-trainer"):
                gr.Markdown("### 培训出题（需登录）\n从条文原文生成单选、多选、判断、填空题，答案与解析均指向条文；"
                            "可在页面预览后导出 XLSX（考试系统导入模板）、Moodle GIFT 或 DOCX 试卷。")
                with gr.Row():
                    q_docs = gr.Dropdown(doc_choices, value=default_docs, multiselect=True,
                                         label="文件（清空则为全部现行文件）",
                                         elem_id="quiz-docs", scale=3)
                    q_chapters = gr.Dropdown(chapter_choices(corpus, default_docs or None), multiselect=True, allow_custom_value=True,
                                             label="章节（可选，可输入）", elem_id="quiz-chapters", scale=2)
                    q_topics = gr.Dropdown(TOPIC_CHOICES, multiselect=True, allow_custom_value=True,
                                           label="主题/关键词（可选，可输入）", elem_id="quiz-topics", scale=2)
                with gr.Row():
                    n_single = gr.Number(8, label="单选题", precision=0, minimum=0, maximum=50, elem_id="n-single")
                    n_multi = gr.Number(4, label="多选题", precision=0, minimum=0, maximum=50, elem_id="n-multi")
                    n_judge = gr.Number(4, label="判断题", precision=0, minimum=0, maximum=50, elem_id="n-judge")
                    n_blank = gr.Number(4, label="填空题", precision=0, minimum=0, maximum=50, elem_id="n-blank")
                    level = gr.Radio(["易", "中", "难"], value="中", label="难度", elem_id="quiz-level", min_width=200)
                    seed = gr.Number(0, label="随机种子", precision=0, elem_id="quiz-seed")
                make = gr.Button("生成题目", variant="primary", elem_id="quiz-make")
                quiz_msg = gr.Markdown("", elem_id="quiz-msg")
                preview = gr.Dataframe(headers=["题型", "题干", "选项", "答案", "依据"], wrap=True, interactive=False,
                                       datatype=["str", "str", "markdown", "str", "str"], line_breaks=True,
                                       column_widths=["7%", "45%", "28%", "7%", "13%"], max_height=640,
                                       elem_id="quiz-preview", label="题目预览")
                with gr.Row():
                    ex_xlsx = gr.Button("导出 XLSX", elem_id="quiz-xlsx")
                    ex_gift = gr.Button("导出 Moodle GIFT", elem_id="quiz-gift")
                    ex_docx = gr.Button("导出 DOCX 试卷", elem_id="quiz-docx")
                quiz_file = gr.HTML("", elem_id="quiz-file", label="下载")
            with gr.Tab("公众咨询", id="public", elem_id="tab-public"):
                gr.Markdown("### 公众咨询（无需登录）\n可咨询：" + "；".join(e.title for e in faq) +
                            "。\n\n本模式不解答执法裁量、内部执法安排或个案处理问题；回答均引用公开的法规原文。")
                pub_chat = gr.Chatbot(label="公众咨询", height=460, elem_id="public-chat")
                pub_q = gr.Textbox(label="您的问题", elem_id="public-q", max_length=500,
                                   placeholder="例：怎么查询一家检测机构有没有资质？")
                pub_send = gr.Button("提问", variant="primary", elem_id="public-send")
                gr.Examples(public_examples, inputs=pub_q, label="常见问题", api_visibility="private")

        private = {"api_visibility": "private"}
        # bcrypt is deliberately slow: at most two password checks at a time.
        gr.on([login_btn.click, password.submit], do_login, [username, password, token],
              [token, login_msg, password, tabs], concurrency_limit=2, concurrency_id="login", **private)
        logout_btn.click(do_logout, [token, session_id],
                         [token, login_msg, chat, question, last, panel, article_box, article, basis, preview,
                          quiz_state, quiz_file, quiz_msg, chat_state], **private)
        # Chat histories are inputs only as server-side State: whatever a client sends for them is ignored.
        gr.on([send.click, question.submit], _keeps_history(officer_ask), [question, chat_state, token, session_id],
              [chat, question, session_id, last, panel, basis, article_box, article, chat_state],
              concurrency_limit=2, concurrency_id="answer", **private)
        clear.click(new_chat, [token, session_id],
                    [chat, question, last, panel, basis, article_box, article, chat_state], **private)
        basis_btn.click(show_basis, [last, token], [basis], **private).then(
            None, [basis], None, js=COPY_BASIS, **private)
        panel.select(show_article, [token], [article_box, article], **private).then(
            None, None, None, js=SCROLL_TO_ARTICLE, **private)
        up.click(rate("up"), [last, comment, token], [fb_msg, comment], **private)
        down.click(rate("down"), [last, comment, token], [fb_msg, comment], **private)
        q_docs.change(quiz_chapters, [token, q_docs], [q_chapters], **private)
        quiz = {"concurrency_limit": 1, "concurrency_id": "quiz"}  # quiz building and exports: one at a time
        make.click(quiz_make, [token, q_docs, q_chapters, q_topics, n_single, n_multi, n_judge, n_blank, level, seed],
                   [preview, quiz_state, quiz_msg], **quiz, **private)
        for btn, fmt in ((ex_xlsx, "xlsx"), (ex_gift, "gift"), (ex_docx, "docx")):
            btn.click(export(fmt), [token, quiz_state], [quiz_file, quiz_msg], **quiz, **private)
        # The one public endpoint. Its own concurrency group, so public traffic cannot starve officers.
        gr.on([pub_send.click, pub_q.submit], _keeps_history(public_ask), [pub_q, pub_state], [pub_chat, pub_q, pub_state],
              api_name="public_ask",
              api_description="公众咨询：只解答查询机构资质、投诉举报渠道、检验检测报告常识与公众权利（限频）。",
              concurrency_limit=2, concurrency_id="public")
    # Answers are CPU-bound and take well under a second on 2 cores. Groups: "answer" (officer/trainer questions,
    # 2 at a time), "public" (2, separate so that public traffic cannot starve officers), "login" (2 bcrypt
    # checks), "quiz" (1); the light handlers 2 each. At most 200 waiting events, then new ones are turned
    # away; api_open=False keeps every call on the queue.
    demo.queue(default_concurrency_limit=2, max_size=200, api_open=False)
    return demo


def warm_up() -> None:
    """Load the corpus, the index and the embedding model before the first request."""
    from assistant import ask

    ask("检验机构出具虚假报告罚多少？")
    ask("什么是检验检测报告？", mode="public")


def serve(host: str = "127.0.0.1", port: int = 7860) -> None:
    """The page alone, with the same protections as `serve --api` (see ui.api.create_app)."""
    from ui.api import run

    run(host, port, with_api=False)
