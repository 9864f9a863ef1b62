"""The Gradio app: 执法人员 chat with a clause panel, 培训 quiz builder, 公众咨询 FAQ. Every handler checks the
server-side session (token in gr.State) itself; officer and trainer handlers are not exposed in the API."""

from __future__ import annotations

import html
import tempfile
import uuid
from pathlib import Path

import gradio as gr

from ui import audit, auth, feedback
from ui.ratelimit import RateLimiter

TITLE = "依据 Yiju — 检验检测监管法律依据助手"
OFFICER_EXAMPLES = ["检验机构出具虚假报告罚多少？依据哪条？", "电梯检验机构出具虚假报告怎么罚", "车检站出具虚假检验结果怎么罚？",
                    "2025年6月某机动车排放检验机构出具虚假报告，怎么罚？", "监督管理办法第二十六条罚多少", "检验检测报告保存多少年？"]
PUBLIC_EXAMPLES = ["怎么查询一家检测机构有没有资质？", "我怀疑检测报告是假的，去哪里投诉举报？", "什么是检验检测报告？"]
PUBLIC_LIMIT = RateLimiter(limit=10, window_s=60)
CSS = """
.clause {border:1px solid #d0d7de;border-radius:8px;padding:8px 12px;margin-bottom:8px;background:#fbfcfd}
.clause h4 {margin:0 0 4px 0;font-size:15px}
.clause .meta {color:#57606a;font-size:12px;margin-bottom:4px}
.clause .text {white-space:pre-wrap;font-size:13px;line-height:1.55}
.badge {display:inline-block;padding:0 6px;border-radius:10px;font-size:12px;color:#fff;background:#2da44e}
.badge.bad {background:#cf222e} .badge.warn {background:#bf8700}
"""


def _client_key(request: gr.Request | None) -> str:
    if request is None:
        return "local"
    host = getattr(getattr(request, "client", None), "host", "") or ""
    return f"{host}|{getattr(request, 'session_hash', '')}"


def clause_panel(citations: list) -> str:
    """HTML cards: citation, document, version date, validity badge, verbatim text."""
    if not citations:
        return "<p>（本回答没有引用条文）</p>"
    cards = []
    for c in citations:
        status = c.status or ""
        cls = "bad" if "废止" in status else "warn" if status not in ("现行有效",) else ""
        cards.append(
            f"<div class='clause' id='clause-{c.n}'><h4>[{c.n}] {html.escape(c.citation)}</h4>"
            f"<div class='meta'>{html.escape(c.doc_title)}｜{html.escape(c.doc_type)}｜版本日期 "
            f"{html.escape(c.version_date or '未载')}｜<span class='badge {cls}'>{html.escape(status)}</span></div>"
            f"<div class='text'>{html.escape(c.text)}</div></div>")
    return "\n".join(cards)


def article_view(provision_id: str) -> str:
    """The whole article with its neighbours, as Markdown."""
    from corpus.history import describe
    from corpus.load import load_corpus

    c = load_corpus()
    p = c.provisions.get(provision_id or "")
    if p is None:
        return "（请选择一条引用）"
    doc = c.documents[p.doc_key]
    out = [f"### {p.citation}", f"《{doc.title}》{doc.version_date or ''}版，{doc.status}", *describe(c, p.id), "",
           *(f"> {line}" for line in p.text.split("\n"))]
    for n in c.neighbours(p.id):
        out += ["", f"**相邻条文：{n.citation}**", *(f"> {line}" for line in n.text.split("\n"))]
    return "\n".join(out)


def build_app() -> gr.Blocks:
    from corpus.load import load_corpus

    corpus = load_corpus()
    doc_choices = [k for k, d in corpus.documents.items() if d.doc_type != "典型案例"]

    with gr.Blocks(title=TITLE) as demo:
        token = gr.State("")
        session_id = gr.State("")
        last = gr.State({})
        quiz_state = gr.State([])
        gr.Markdown(f"# {TITLE}\n离线检索法律、法规、规章与《检验检测领域综合治理行动方案》，逐字引用条文。"
                    "回答供参考，不替代法制审核。")
        with gr.Accordion("登录（执法人员 / 培训模式需要登录；公众咨询无需登录）", open=True):
            with gr.Row():
                username = gr.Textbox(label="用户名", elem_id="login-user", scale=2)
                password = gr.Textbox(label="密码", type="password", elem_id="login-pass", scale=2)
                login_btn = gr.Button("登录", elem_id="login-btn", scale=1)
                logout_btn = gr.Button("退出", scale=1)
            login_msg = gr.Markdown("未登录", elem_id="login-msg")
        with gr.Tabs():
            with gr.Tab("执法人员", id="officer", elem_id="tab-officer"):
                with gr.Row():
                    with gr.Column(scale=3):
                        chat = gr.Chatbot(label="对话", height=520, elem_id="officer-chat")
                        question = gr.Textbox(label="问题", placeholder="例：检验机构出具虚假报告罚多少？依据哪条？",
                                              elem_id="officer-q")
                        with gr.Row():
                            send = gr.Button("提问", variant="primary", elem_id="officer-send")
                            clear = gr.Button("新对话")
                        gr.Examples(OFFICER_EXAMPLES, inputs=question)
                        basis_btn = gr.Button("复制为决定书依据", elem_id="basis-btn")
                        basis = gr.Textbox(label="行政处罚决定书依据段落", lines=3, buttons=["copy"], elem_id="basis")
                        with gr.Row():
                            comment = gr.Textbox(label="反馈意见（可选）", scale=3)
                            up = gr.Button("👍", scale=1)
                            down = gr.Button("👎", scale=1)
                        fb_msg = gr.Markdown("")
                    with gr.Column(scale=2):
                        gr.Markdown("### 引用条文")
                        panel = gr.HTML("<p>（提问后在此显示引用的条文）</p>", elem_id="clause-panel")
                        pick = gr.Dropdown(label="查看整条及相邻条文", choices=[], elem_id="clause-pick")
                        full = gr.Markdown("", elem_id="article-view")
            with gr.Tab("培训", id="trainer", elem_id="tab-trainer"):
                with gr.Row():
                    q_docs = gr.Dropdown(doc_choices, multiselect=True, label="文件（不选则全部现行文件）",
                                         elem_id="quiz-docs")
                    q_chapter = gr.Textbox(label="章节包含", placeholder="如：法律责任")
                    q_topic = gr.Textbox(label="关键词", placeholder="如：虚假")
                with gr.Row():
                    n_single = gr.Number(5, label="单选", precision=0, minimum=0, maximum=50)
                    n_multi = gr.Number(5, label="多选", precision=0, minimum=0, maximum=50)
                    n_judge = gr.Number(5, label="判断", precision=0, minimum=0, maximum=50)
                    n_blank = gr.Number(5, label="填空", precision=0, minimum=0, maximum=50)
                    level = gr.Radio(["易", "中", "难"], value="中", label="难度")
                    seed = gr.Number(0, label="随机种子", precision=0)
                make = gr.Button("生成题目", variant="primary", elem_id="quiz-make")
                quiz_msg = gr.Markdown("")
                preview = gr.Dataframe(headers=["题型", "题干", "选项", "答案", "依据"], wrap=True, elem_id="quiz-preview")
                with gr.Row():
                    ex_xlsx = gr.Button("导出 XLSX", elem_id="quiz-xlsx")
                    ex_gift = gr.Button("导出 Moodle GIFT")
                    ex_docx = gr.Button("导出 DOCX 试卷")
                quiz_file = gr.File(label="下载", elem_id="quiz-file")
            with gr.Tab("公众咨询", id="public", elem_id="tab-public"):
                gr.Markdown("可咨询：如何查询检验检测机构资质、如何投诉举报、什么是检验检测报告、公众有哪些监督权利。")
                pub_chat = gr.Chatbot(label="公众咨询", height=420, elem_id="public-chat")
                pub_q = gr.Textbox(label="您的问题", elem_id="public-q")
                pub_send = gr.Button("提问", variant="primary", elem_id="public-send")
                gr.Examples(PUBLIC_EXAMPLES, inputs=pub_q)

        # -- handlers (every one checks the server-side token itself) -------------------------------------
        def do_login(user: str, pwd: str, request: gr.Request):
            r = auth.login(user, pwd, _client_key(request).split("|")[0])
            return (r.token if r.ok else ""), r.message, ""

        def do_logout(tok: str):
            auth.logout(tok)
            return "", "已退出", [], "", gr.update(choices=[], value=None), ""

        def officer_ask(q: str, history: list, tok: str, sid: str):
            who = auth.check(tok, ("officer",))
            history = list(history or [])
            if who is None:
                history.append({"role": "assistant", "content": "请先以执法人员身份登录。"})
                return history, "", sid, {}, "<p>（未登录）</p>", gr.update(choices=[], value=None)
            from assistant import ask

            sid = sid or uuid.uuid4().hex
            a = ask(q or "", session=f"{who[0]}:{sid}", mode="officer")
            audit.record(who[0], who[1], "ask", a.question, a.markdown, [c.provision_id for c in a.citations])
            history += [{"role": "user", "content": q or ""}, {"role": "assistant", "content": a.markdown}]
            state = {"question": a.question, "markdown": a.markdown, "basis": a.basis_paragraph,
                     "citations": [c.provision_id for c in a.citations]}
            choices = [(c.citation, c.provision_id) for c in a.citations]
            return (history, "", sid, state, clause_panel(a.citations),
                    gr.update(choices=choices, value=None))

        def new_chat():
            return [], "", {}, "<p>（提问后在此显示引用的条文）</p>", gr.update(choices=[], value=None), ""

        def show_basis(state: dict, tok: str):
            if auth.check(tok, ("officer",)) is None:
                return "请先登录。"
            return (state or {}).get("basis") or "本回答没有可用于决定书的处罚依据（请先提出具体违法行为的处罚问题）。"

        def show_article(pid: str, tok: str):
            if auth.check(tok, ("officer", "trainer")) is None:
                return "请先登录。"
            return article_view(pid)

        def rate(kind: str):
            def handler(state: dict, note: str, tok: str):
                who = auth.check(tok, ("officer",))
                if who is None or not state:
                    return "请先登录并提问后再反馈。"
                feedback.store(kind, state["question"], state["markdown"], state["citations"], note or "", who[0])
                return "已记录反馈，谢谢！"
            return handler

        def quiz_make(tok: str, docs: list, chapter: str, topic: str, a: float, b: float, c: float, d: float,
                      lvl: str, sd: float):
            who = auth.check(tok, ("trainer",))
            if who is None:
                return [], [], "请先以培训或执法人员身份登录。"
            from assistant.quiz import build_quiz

            counts = {"单选": int(a or 0), "多选": int(b or 0), "判断": int(c or 0), "填空": int(d or 0)}
            counts = {k: max(0, min(v, 50)) for k, v in counts.items()}
            qs = build_quiz(corpus, doc_keys=docs or None, chapters=[chapter] if chapter else None,
                            topics=[topic] if topic else None, counts=counts, difficulty=lvl or "中", seed=int(sd or 0))
            audit.record(who[0], who[1], "quiz", f"{docs} {chapter} {topic} {counts}", f"{len(qs)} questions")
            rows = [[q.qtype, q.stem, " / ".join(f"{'ABCD'[i]}. {o}" for i, o in enumerate(q.options)), q.answer,
                     q.citation] for q in qs]
            msg = f"已生成 {len(qs)} 题。" if qs else "所选范围内没有可出题的条文，请放宽条件。"
            return rows, [q.to_dict() for q in qs], msg

        def export(fmt: str):
            def handler(tok: str, qs: list):
                if auth.check(tok, ("trainer",)) is None or not qs:
                    return None
                from assistant.quiz import Question
                from assistant.quiz_export import to_docx, to_gift, to_xlsx

                questions = [Question(**q) for q in qs]
                out = Path(tempfile.mkdtemp(prefix="yiju-quiz-")) / f"yiju-quiz.{fmt}"
                if fmt == "xlsx":
                    to_xlsx(questions, out)
                elif fmt == "docx":
                    to_docx(questions, out)
                else:
                    out.write_text(to_gift(questions), "utf-8")
                return str(out)
            return handler

        def public_ask(q: str, history: list, request: gr.Request):
            """Public FAQ: always mode=public, rate-limited per client."""
            from assistant import ask

            history = list(history or [])
            if not PUBLIC_LIMIT.allow(_client_key(request)):
                history.append({"role": "assistant", "content": "提问过于频繁，请稍后再试。"})
                return history, ""
            a = ask(q or "", mode="public")
            history += [{"role": "user", "content": q or ""}, {"role": "assistant", "content": a.markdown}]
            return history, ""

        private = {"api_visibility": "private"}
        login_btn.click(do_login, [username, password], [token, login_msg, password], **private)
        logout_btn.click(do_logout, [token], [token, login_msg, chat, panel, pick, full], **private)
        gr.on([send.click, question.submit], officer_ask, [question, chat, token, session_id],
              [chat, question, session_id, last, panel, pick], **private)
        clear.click(new_chat, None, [chat, session_id, last, panel, pick, full], **private)
        basis_btn.click(show_basis, [last, token], [basis], **private)
        pick.change(show_article, [pick, token], [full], **private)
        up.click(rate("up"), [last, comment, token], [fb_msg], **private)
        down.click(rate("down"), [last, comment, token], [fb_msg], **private)
        make.click(quiz_make, [token, q_docs, q_chapter, q_topic, n_single, n_multi, n_judge, n_blank, level, seed],
                   [preview, quiz_state, quiz_msg], **private)
        ex_xlsx.click(export("xlsx"), [token, quiz_state], [quiz_file], **private)
        ex_gift.click(export("gift"), [token, quiz_state], [quiz_file], **private)
        ex_docx.click(export("docx"), [token, quiz_state], [quiz_file], **private)
        gr.on([pub_send.click, pub_q.submit], public_ask, [pub_q, pub_chat], [pub_chat, pub_q], api_name="public_ask")
    # Queue limits chosen for a 2-core box: answers are CPU-bound and short; excess requests wait in line.
    demo.queue(default_concurrency_limit=4, max_size=512)
    return demo


def warm_up() -> None:
    """Load the corpus, the index and the embedding model before the first request."""
    from assistant import ask

    ask("检验机构出具虚假报告罚多少？")
    ask("检验检测报告保存多少年")


def serve(host: str = "127.0.0.1", port: int = 7860, share: bool = False) -> None:
    warm_up()
    build_app().launch(server_name=host, server_port=port, share=share, css=CSS, show_error=False, max_threads=16,
                       footer_links=["api"])
