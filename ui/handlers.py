"""Event handlers of the page. Each officer/trainer handler checks the server-side login itself
(`auth.check(token, roles, address)`); the token and both chat histories are gr.State (kept on the server, never
read from a client). The officer chat state is a list of messages {"role", "content", "meta"}: `content` is
the markdown shown, `meta` (assistant messages) holds the answer id, question, basis paragraph, citations and
the answer's clause-panel section."""

from __future__ import annotations

import json
import logging
import math
import shutil
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import gradio as gr

from ui import audit, auth, feedback, history, render, websession
from ui.ratelimit import PublicLimits
from ui.streaming import answer_stream

log = logging.getLogger("yiju.ui")

MAX_QUESTION = 1000  # characters of one officer question (longer ones are cut, and the page says so)
MAX_PUBLIC_QUESTION = 500
MAX_HISTORY = 40  # chat messages kept per page (server-side)
MAX_MESSAGE = 20_000  # characters kept of one chat message
MAX_QUIZ = 200
MAX_PER_TYPE = 50
PANELS_KEPT = 10  # clause-panel sections kept (one per answer)
PUBLIC_LIMITS = PublicLimits(per_session=10, per_address=60, window_s=60, name="public-page")
NEED_LOGIN = "请先登录（执法人员或培训账号）。"
EMPTY_QUESTION = "请输入问题。"
NO_BASIS = "本回答没有可用于决定书的处罚依据（请先就具体违法行为提出处罚问题，例如：电梯检测单位出了假报告如何处罚）。"
OFFICER_ROLES = ("officer", "trainer")


# -- request helpers -------------------------------------------------------------------------------------------

def address(request: gr.Request | None) -> str:
    client = getattr(request, "client", None)
    return str(getattr(client, "host", "") or "") if client is not None else ""


def session(request: gr.Request | None) -> str:
    return str(getattr(request, "session_hash", "") or "")


def who(token: str, roles: tuple[str, ...], request: gr.Request | None) -> tuple[str, str] | None:
    return auth.check(token, roles, address(request))


def text(value: object, limit: int = MAX_QUESTION) -> str:
    return (value if isinstance(value, str) else "")[:limit]


def cut_notice(value: object, limit: int) -> str:
    """The note shown when a question was longer than `limit` characters ('' otherwise)."""
    n = len(value.strip()) if isinstance(value, str) else 0
    return f"问题共 {n} 字，超过 {limit} 字的上限，只按前 {limit} 字检索。" if n > limit else ""


def plain(content: object) -> str | None:
    """The text of a chat message: a string, or the text parts of a list of typed parts; None otherwise."""
    if isinstance(content, str):
        return content[:MAX_MESSAGE]
    if isinstance(content, list):
        parts = [p["text"] for p in content if isinstance(p, dict) and p.get("type", "text") == "text"
                 and isinstance(p.get("text"), str) and set(p) <= {"type", "text"}]
        return "".join(parts)[:MAX_MESSAGE] if parts else None
    return None


def clean_history(value: object) -> list[dict]:
    """A chat history as plain messages ({"role": user|assistant, "content": str[, "meta": dict]}), the newest
    MAX_HISTORY; files, components and anything malformed are dropped (one log line for the whole request)."""
    if not isinstance(value, list):
        return []
    out, dropped = [], 0
    for m in value[-MAX_HISTORY:]:
        body = plain(m.get("content")) if isinstance(m, dict) and m.get("role") in ("user", "assistant") else None
        if body is None:
            dropped += 1
            continue
        msg = {"role": m["role"], "content": body}
        if isinstance(m.get("meta"), dict):
            msg["meta"] = m["meta"]
        out.append(msg)
    if dropped:
        log.warning("chat history: %d malformed message(s) dropped", dropped)
    return out


def shown(messages: list[dict]) -> list[dict]:
    """What the Chatbot displays: role and content only."""
    return [{"role": m["role"], "content": m["content"]} for m in messages]


def corpus():
    from corpus.load import load_corpus

    return load_corpus()


def panel_of(messages: list[dict]) -> str:
    sections = [m["meta"]["panel"] for m in messages if isinstance(m.get("meta"), dict) and m["meta"].get("panel")]
    return render.panels(sections[-PANELS_KEPT:])


def last_meta(messages: list[dict]) -> dict:
    metas = [m["meta"] for m in messages if m["role"] == "assistant" and isinstance(m.get("meta"), dict)]
    return metas[-1] if metas else {}


def conv_list(user: str, current: str = "") -> str:
    return render.conversation_list(history.conversations(user), current)


# -- login -----------------------------------------------------------------------------------------------------

def _signed_in(user: str, role: str, message: str, ticket: str = ""):
    """Outputs after a login or a restored one: message, tabs, login box, ticket, conversation list."""
    return (f"**{message}**", gr.Tabs(selected="officer" if role == "officer" else "trainer"),
            gr.Accordion(label=f"已登录：{user}（{auth.ROLE_LABEL[role]}）", open=False), ticket,
            conv_list(user))


def do_login(user: str, password: str, old_token: str, request: gr.Request):
    """Outputs: token, login message, password box, tabs, login box, cookie ticket, conversation list."""
    auth.logout(old_token)
    r = auth.login(text(user, 64), text(password, 200), address(request))  # audited by auth.login
    if not r.ok:
        return "", r.message, "", gr.update(), gr.update(), "", gr.update()
    msg, tabs, box, ticket, convs = _signed_in(r.user, r.role, r.message,
                                               websession.issue_ticket(r.token, address(request)))
    return r.token, msg, "", tabs, box, ticket, convs


def restore(old_token: str, request: gr.Request):
    """On page load: the login kept in the session cookie (checked like any token). Same outputs as do_login."""
    token = old_token or websession.cookie_token(request)
    found = who(token, auth.ROLES, request) if token else None
    if found is None:  # nothing changes: the visitor may already be typing into (or done with) the login form
        return (gr.update(),) * 7
    msg, tabs, box, _, convs = _signed_in(*found, f"已登录：{found[0]}（{auth.ROLE_LABEL[found[1]]}）")
    return token, msg, gr.update(), tabs, box, "", convs


def do_logout(token: str, sid: str, request: gr.Request):
    found = who(token, auth.ROLES, request)
    if found:
        audit.record(found[0], found[1], "logout", client=address(request))
        from assistant.session import STORE

        STORE.drop(f"{found[0]}:{sid}")
    auth.logout(token)
    return ("", "已退出。", [], "", {}, render.PANEL_EMPTY, gr.Accordion(open=False), render.ARTICLE_EMPTY, "", [],
            [], None, "", [], gr.Accordion(label="登录（执法人员、培训）", open=True), render.HISTORY_EMPTY, "")


# -- the officer chat ------------------------------------------------------------------------------------------

def officer_echo(question: str, chat_state: list, token: str, request: gr.Request):
    """At once, before the answer: the question and a "正在检索…" bubble (outputs: chat, status line)."""
    messages = clean_history(chat_state)
    q = text(question).strip()
    if not q:
        return shown(messages), EMPTY_QUESTION
    if who(token, OFFICER_ROLES, request) is None:
        return shown(messages), NEED_LOGIN
    pending = [{"role": "user", "content": q}, {"role": "assistant", "content": render.PENDING}]
    return shown(messages) + pending, cut_notice(question, MAX_QUESTION)


def _answered(a, q: str, aid: str) -> tuple[str, dict]:
    """The displayed markdown and the meta of one answer."""
    cited = [c.provision_id for c in a.citations]
    section = render.clause_panel(a.citations, a.warnings, aid, corpus())
    meta = {"aid": aid, "question": a.question or q, "basis": a.basis_paragraph, "citations": cited,
            "panel": section}
    return render.answer_markdown(a.markdown, aid), meta


def officer_ask(question: str, chat_state: list, token: str, sid: str, request: gr.Request) -> Iterator[tuple]:
    """Outputs: chat, question box, conversation id, last answer, clause panel, basis box, article box, article,
    chat state, conversation list, status line. A generator: while an LLM's reply streams, the answer bubble
    shows the sentences that have passed the citation check (nothing else changes until the answer is done)."""
    messages = clean_history(chat_state)
    q = text(question).strip()
    found = who(token, OFFICER_ROLES, request)
    keep = (gr.update(),) * 3
    if found is None:
        messages.append({"role": "assistant", "content": NEED_LOGIN})
        yield (shown(messages), question, sid, {}, render.PANEL_EMPTY, "", gr.update(), gr.update(), messages,
               *keep[:1], NEED_LOGIN)
        return
    if not q:
        yield (shown(messages), "", sid, *keep, gr.update(), gr.update(), messages, gr.update(), EMPTY_QUESTION)
        return
    from assistant import ask

    sid = sid if isinstance(sid, str) and 0 < len(sid) <= 64 else history.new_id()
    if history.owner(sid) not in (None, found[0]):
        sid = history.new_id()
    try:
        for a in answer_stream(lambda sink: ask(q, session=f"{found[0]}:{sid}", mode=found[1], on_text=sink)):
            if isinstance(a, str):  # the checked part of a streamed reply: the answer bubble grows
                growing = [{"role": "user", "content": q}, {"role": "assistant", "content": render.growing(a)}]
                yield (shown(messages) + growing, *(gr.update() for _ in range(10)))
    except Exception:
        log.exception("answer failed")
        messages += [{"role": "user", "content": q}, {"role": "assistant", "content": "⚠ 内部错误，请稍后重试。"}]
        yield (shown(messages), "", sid, {}, panel_of(messages), "", gr.update(), gr.update(), messages,
               gr.update(), "")
        return
    audit.record(found[0], found[1], "ask", a.question or q, a.markdown, [c.provision_id for c in a.citations],
                 client=address(request))
    shown_md, meta = _answered(a, q, uuid.uuid4().hex[:12])
    messages = (messages + [{"role": "user", "content": q}, {"role": "assistant", "content": shown_md,
                                                              "meta": meta}])[-MAX_HISTORY:]
    history.append(found[0], sid, q, shown_md, meta)
    yield (shown(messages), "", sid, meta, panel_of(messages), "", gr.Accordion(open=False), render.ARTICLE_EMPTY,
           messages, conv_list(found[0], sid), cut_notice(question, MAX_QUESTION))


def new_chat(token: str, sid: str, request: gr.Request):
    """A new conversation (the old one stays in the list). Outputs: chat, question, conversation id, last answer,
    panel, basis, article box, article, chat state, conversation list, status."""
    found = who(token, OFFICER_ROLES, request)
    convs = conv_list(found[0]) if found else render.HISTORY_EMPTY
    return ([], "", history.new_id(), {}, render.PANEL_EMPTY, "", gr.Accordion(open=False), render.ARTICLE_EMPTY, [],
            convs, "已开始新对话。" if found else NEED_LOGIN)


def open_conversation(token: str, evt: gr.SelectData, request: gr.Request):
    """Open one of the user's own conversations (another user's id gets nothing). Same outputs as new_chat."""
    found = who(token, OFFICER_ROLES, request)
    if found is None:
        return (*(gr.update(),) * 10, NEED_LOGIN)
    return _opened(found[0], evt.value if isinstance(evt.value, str) else "")


def resume(token: str, request: gr.Request):
    """After a reload: the user's latest conversation is shown again. Same outputs as new_chat."""
    found = who(token, OFFICER_ROLES, request)
    latest = history.conversations(found[0], 1) if found else []
    return _opened(found[0], latest[0]["id"]) if latest else (*(gr.update(),) * 11,)


def _opened(user: str, cid: str) -> tuple:
    got = history.messages(user, cid[:64]) if cid else None
    if got is None:
        return (*(gr.update(),) * 9, conv_list(user), "没有找到这次对话。")
    messages = clean_history(got[-MAX_HISTORY:])
    return (shown(messages), "", cid, last_meta(messages), panel_of(messages), "", gr.Accordion(open=False),
            render.ARTICLE_EMPTY, messages, conv_list(user, cid), "")


def show_basis(last: dict, token: str, request: gr.Request) -> str:
    if who(token, OFFICER_ROLES, request) is None:
        return NEED_LOGIN
    basis = (last or {}).get("basis") if isinstance(last, dict) else ""
    return basis or NO_BASIS


def show_article(token: str, evt: gr.SelectData, request: gr.Request):
    if who(token, OFFICER_ROLES, request) is None:
        return gr.Accordion(open=True), f"<p class='hint'>{NEED_LOGIN}</p>"
    pid = evt.value if isinstance(evt.value, str) else ""
    return gr.Accordion(open=True), render.article_view(pid[:200], corpus())


def rate_message(chat_state: list, note: str, token: str, evt: gr.LikeData, request: gr.Request):
    """👍/👎 on one answer (once per answer), with the optional comment. Outputs: feedback line, comment box."""
    found = who(token, OFFICER_ROLES, request)
    if found is None:
        return NEED_LOGIN, note
    messages = clean_history(chat_state)
    index = evt.index if isinstance(evt.index, int) else evt.index[0] if isinstance(evt.index, list) else -1
    meta = messages[index].get("meta") if isinstance(index, int) and 0 <= index < len(messages) else None
    if not isinstance(meta, dict) or not meta.get("aid"):
        return "请对一条回答评价。", note
    kind = "up" if evt.liked is True else "down" if evt.liked is False else ""
    if not kind:
        return "已取消选择；每条回答只记录第一次评价。", note
    if not history.rate_once(found[0], meta["aid"], kind):
        return "这条回答已评价过，每条回答只记录一次。", note
    feedback.store(kind, meta.get("question", ""), messages[index]["content"], meta.get("citations", []),
                   text(note, 2000), found[0], found[1])
    return ("已记录：👍 有用。谢谢！" if kind == "up" else "已记录：👎 有问题。谢谢，我们会核查。"), ""


# -- quizzes (trainers and officers) -----------------------------------------------------------------------------

def quiz_chapters(token: str, docs: list, request: gr.Request):
    if who(token, ("trainer",), request) is None:
        return gr.update()
    c = corpus()
    keys = [d for d in (docs or []) if isinstance(d, str) and d in c.documents]
    return gr.Dropdown(choices=render.chapter_choices(c, keys))


def _number(x: object) -> int:
    try:
        return int(x or 0)
    except (TypeError, ValueError, OverflowError):
        return 0


def quiz_count(x: object) -> int:
    """A question count from the page, within 0–MAX_PER_TYPE (the page says when it was out of range)."""
    return max(0, min(_number(x), MAX_PER_TYPE))


def quiz_make(token: str, docs: list, chapters: list, topics: list, n_single: float, n_multi: float,
              n_judge: float, n_blank: float, level: str, seed: float, request: gr.Request):
    found = who(token, ("trainer",), request)
    if found is None:
        return [], [], NEED_LOGIN
    from assistant.quiz import QuizError, build_quiz

    def strings(x: object) -> list[str]:
        return [s.strip()[:50] for s in (x if isinstance(x, list) else []) if isinstance(s, str) and s.strip()][:20]

    asked = (n_single, n_multi, n_judge, n_blank)
    counts = dict(zip(("单选", "多选", "判断", "填空"), map(quiz_count, asked), strict=True))
    if not sum(counts.values()):
        return [], [], "请至少为一种题型设置题目数量。"
    try:
        sd = int(seed or 0)
    except (TypeError, ValueError, OverflowError):
        sd = 0
    selection = {"documents": strings(docs), "chapters": strings(chapters), "topics": strings(topics),
                 "counts": counts, "difficulty": level, "seed": sd}
    try:
        qs = build_quiz(corpus(), doc_keys=selection["documents"] or None, chapters=selection["chapters"] or None,
                        topics=selection["topics"] or None, counts=counts, difficulty=level or "中", seed=sd)[:MAX_QUIZ]
    except QuizError as exc:
        return [], [], f"⚠ {exc}"
    except Exception:
        log.exception("quiz failed")
        return [], [], "⚠ 出题失败，请调整条件后重试。"
    audit.record(found[0], found[1], "quiz", json.dumps(selection, ensure_ascii=False), f"{len(qs)} 题",
                 list(dict.fromkeys(q.provision_id for q in qs)), client=address(request))
    got = Counter(q.qtype for q in qs)
    short = [f"{t}{counts[t] - got[t]}题" for t in counts if got[t] < counts[t]]
    msg = (f"已生成 {len(qs)} 题（" + "，".join(f"{t}{got[t]}" for t in counts if got[t]) + "）。"
           + (f"所选范围内素材不足，少 {'、'.join(short)}。" if short else "")) if qs else \
        "所选范围内没有可出题的条文，请放宽条件（文件、章节或关键词）。"
    if any(quiz_count(x) != _number(x) for x in asked):
        msg = f"每种题型 0–{MAX_PER_TYPE} 题，超出范围的已按上下限出题。" + msg
    return render.quiz_rows(qs), [q.to_dict() for q in qs], msg


EXPORT_NAMES = {"xlsx": "yiju-quiz.xlsx", "docx": "yiju-quiz.docx", "gift": "yiju-quiz-gift.txt",
                "paper-docx": "yiju-paper-docx.zip", "paper-pdf": "yiju-paper-pdf.zip"}


def _write_export(fmt: str, questions: list) -> tuple[Path, int]:
    from assistant.quiz import PaperSpec, Question, write_paper_zip
    from assistant.quiz.export import to_docx, to_gift, to_xlsx
    from ui import downloads

    qs = [Question(**q) for q in questions]
    out = downloads.new_folder() / EXPORT_NAMES[fmt]
    try:
        if fmt == "xlsx":
            to_xlsx(qs, out)
        elif fmt == "docx":
            to_docx(qs, out)
        elif fmt.startswith("paper-"):  # the paper to hand out and its separate answer key, zipped together
            write_paper_zip(qs, out, fmt=fmt.split("-", 1)[1], spec=PaperSpec())
        else:
            out.write_text(to_gift(qs), "utf-8")
    except BaseException:
        shutil.rmtree(out.parent, ignore_errors=True)
        raise
    return out, len(qs)


EXPORT_LABELS = {"paper-docx": "试卷与答案 Word", "paper-pdf": "试卷与答案 PDF"}


def export(fmt: str):
    def handler(token: str, questions: list, request: gr.Request):
        found = who(token, ("trainer",), request)
        if found is None:
            return None, NEED_LOGIN
        if not questions or not isinstance(questions, list):
            return None, "请先生成题目，再导出。"
        from ui import downloads

        try:
            out, n = _write_export(fmt, questions)
        except Exception:
            log.exception("export failed")
            return None, "⚠ 导出失败，请重新生成题目后再试。"
        key = downloads.register(token, address(request), out, out.name)
        audit.record(found[0], found[1], "export", fmt, f"{n} 题", list(dict.fromkeys(q["provision_id"] for q in questions)),
                     client=address(request))
        return render.download_link(key, out.name), f"已导出 {n} 题（{EXPORT_LABELS.get(fmt, fmt.upper())}），请在下方下载。"

    handler.__name__ = f"export_{fmt}"
    return handler




# -- 公众咨询 (no login) ----------------------------------------------------------------------------------------

def public_echo(question: str, pub_state: list, request: gr.Request):
    """At once: the visitor's question and a "正在检索…" bubble (nothing is answered here)."""
    messages = clean_history(pub_state)
    q = text(question, MAX_PUBLIC_QUESTION).strip()
    return shown(messages) + ([{"role": "user", "content": q}, {"role": "assistant", "content": render.PENDING}]
                              if q else [])


def public_ask(question: str, pub_state: list, request: gr.Request):
    """公众咨询: always mode="public" (FAQ scope only), rate-limited per client; no login, no audit of the public.
    Outputs: chat, question box, chat state."""
    from assistant import ask

    messages = clean_history(pub_state)
    q = text(question, MAX_PUBLIC_QUESTION).strip()
    if not q:
        return shown(messages), "", messages
    wait = PUBLIC_LIMITS.retry_after(address(request), session(request))
    if wait:
        messages += [{"role": "user", "content": q},
                     {"role": "assistant", "content": f"提问过于频繁，请 {math.ceil(wait)} 秒后再试。"}]
        return shown(messages), q, messages
    try:
        a = ask(q, mode="public")
    except Exception:
        log.exception("public answer failed")
        messages += [{"role": "user", "content": q}, {"role": "assistant", "content": "⚠ 暂时无法回答，请稍后再试。"}]
        return shown(messages), "", messages
    note = cut_notice(question, MAX_PUBLIC_QUESTION)
    body = render.answer_markdown(a.markdown, uuid.uuid4().hex[:12], links=False)
    messages = (messages + [{"role": "user", "content": q},
                            {"role": "assistant", "content": (f"> {note}\n\n" if note else "") + body}])[-MAX_HISTORY:]
    return shown(messages), "", messages


def public_topics(entries) -> list:
    """The FAQ entries the assistant answers now (assistant.faq's topics), so that the page offers no example
    question that would be declined."""
    try:
        from assistant.faq import TOPICS
    except ImportError:
        return list(entries)
    keys = {t.key for t in TOPICS}
    return [e for e in entries if e.key in keys] or list(entries)


def warm_up() -> None:
    """Load the corpus, the index and the embedding model before the first request."""
    from assistant import ask

    ask("检测公司出了假报告，罚款多少？")
    ask("什么是检验检测报告？", mode="public")
