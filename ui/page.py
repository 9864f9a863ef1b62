"""The page's layout and wiring: 公众咨询 (first, no login), 执法人员 chat with the clause panel and the
conversation list, 培训 quiz builder. Handlers live in ui.handlers, HTML in ui.render, styles and the page's
script in ui/static/."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import gradio as gr

from ui import handlers as h
from ui import render

STATIC = Path(__file__).with_name("static")
TITLE = "依据 Yiju — 检验检测监管法律依据助手"
OFFICER_EXAMPLES = [
    "电梯检测单位出了假报告如何处罚",
    "检测公司出了假报告，罚款多少？依据是哪条？",
    "车检站伪造检验结果如何处罚？",
    "2025年3月排放检验站篡改尾气数据出报告，如何处罚？",
    "报告没有按规定加印CMA标志，怎么处理",
    "检验检测报告保存多少年？",
]
HISTORY_TTL_S = 3600  # an idle page's chat history is dropped from memory after this (it stays in the database)
# The trainer tab starts with the core inspection & testing texts selected (clear the field for all documents).
QUIZ_DEFAULT_DOCS = ["检验检测机构监督管理办法", "检验检测机构资质认定管理办法", "特种设备安全法", "检验检测领域综合治理行动方案"]
TOPIC_CHOICES = ["罚款数额", "倍数罚款", "执法主体", "期限", "条文定位", "所列情形", "虚假", "资质", "检验检测报告",
                 "特种设备", "机动车", "生态环境监测"]
LOGIN_HINT = "执法人员、培训模式需要登录；公众咨询无需登录。账号由本单位管理员开通。"
CHAT_HEIGHT = "max(300px, calc(100vh - 410px))"  # the question box stays in view at 1366×768
FEEDBACK = ("Like", "Dislike")  # Gradio shows these two as 👍/👎 icons (labelled in Chinese by the page's locale)
PRIVATE = {"api_visibility": "private"}
# Clicking (or pressing Enter on) a clause card asks the server for the whole article and its neighbours.
CLAUSE_JS = """
const pick = (card) => trigger('select', {index: Number(card.dataset.n), value: card.dataset.pid});
element.addEventListener('click', (e) => { const c = e.target.closest('[data-pid]'); if (c) pick(c); });
element.addEventListener('keydown', (e) => {
  const c = e.target.closest('[data-pid]'); if (c && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); pick(c); }
});
"""
# Clicking a conversation in the list opens it.
CONVS_JS = """
element.addEventListener('click', (e) => {
  const c = e.target.closest('[data-cid]'); if (c) trigger('select', {index: 0, value: c.dataset.cid});
});
"""
SCROLL_TO_ARTICLE = "() => { document.getElementById('article-box')?.scrollIntoView({behavior: 'smooth', block: 'start'}); }"


def static_text(name: str) -> str:
    return (STATIC / name).read_text("utf-8")


def theme() -> gr.themes.Base:
    """The default theme with a blue accent dark enough for AA text contrast (Gradio's orange is 2.8:1)."""
    return gr.themes.Default(primary_hue="blue").set(
        button_primary_background_fill="#0b57d0", button_primary_background_fill_hover="#0842a0",
        button_primary_text_color="#ffffff", color_accent="#0b57d0", color_accent_soft="#c2d7fa",
        body_text_color_subdued="#4b5563", link_text_color="#0b57d0")


def _header(ui: SimpleNamespace) -> None:
    gr.Markdown(f"### {TITLE}\n<span class='hint'>离线检索法律、法规、规章与《检验检测领域综合治理行动方案》，"
                "逐字引用条文并标注版本与效力。</span>", elem_id="page-head")
    with gr.Accordion("登录（执法人员、培训）", open=False, elem_id="login-box") as ui.login_box:
        with gr.Row(equal_height=True):
            ui.username = gr.Textbox(label="用户名", elem_id="login-user", scale=2, max_length=64)
            ui.password = gr.Textbox(label="密码", type="password", elem_id="login-pass", scale=2, max_length=200)
            with gr.Column(scale=1, min_width=120):
                ui.login_btn = gr.Button("登录", variant="primary", elem_id="login-btn")
                ui.logout_btn = gr.Button("退出", elem_id="logout-btn")
        ui.login_msg = gr.Markdown(LOGIN_HINT, elem_id="login-msg")
        ui.ticket = gr.Textbox("", visible=False, elem_id="login-ticket")


def _public_tab(ui: SimpleNamespace, faq: list) -> None:
    with gr.Tab("公众咨询", id="public", elem_id="tab-public"):
        gr.Markdown("可咨询：" + "；".join(e.title for e in faq) +
                    "。本模式不解答执法裁量、内部执法安排或个案处理问题；回答均引用公开的法规原文。", elem_classes="hint")
        ui.pub_chat = gr.Chatbot(label="公众咨询", height=CHAT_HEIGHT, elem_id="public-chat", buttons=["copy"],
                                 autoscroll=False, feedback_options=None)
        ui.pub_q = gr.Textbox(label="您的问题（Enter 发送，Shift+Enter 换行）", elem_id="public-q", lines=1,
                              max_lines=8, placeholder="例：想确认某家检测机构是否有资质，去哪查？")
        ui.pub_send = gr.Button("提问", variant="primary", elem_id="public-send")
        gr.Examples([q for e in faq for q in e.examples[:2]], inputs=ui.pub_q, label="常见问题", **PRIVATE)


def _officer_chat_column(ui: SimpleNamespace) -> None:
    ui.chat = gr.Chatbot(label="法律依据问答（需登录）", height=CHAT_HEIGHT, elem_id="officer-chat", buttons=["copy"],
                         autoscroll=False, feedback_options=FEEDBACK)
    ui.question = gr.Textbox(label="问题（Enter 发送，Shift+Enter 换行）", lines=1, max_lines=8, elem_id="officer-q",
                             placeholder="例：电梯检测单位出了假报告，如何处罚？依据哪条？")
    ui.status = gr.Markdown("", elem_id="officer-status", elem_classes="status-line")
    with gr.Row():
        ui.send = gr.Button("提问", variant="primary", elem_id="officer-send", scale=2)
        ui.clear = gr.Button("新对话", elem_id="officer-new", scale=1)
    with gr.Row(equal_height=True):
        ui.comment = gr.Textbox(label="评价意见（可选，点回答下的 👍/👎 时一并提交）", scale=4, max_length=2000,
                                elem_id="fb-comment")
    ui.fb_msg = gr.Markdown("", elem_id="fb-msg", elem_classes="status-line")


def _officer_tab(ui: SimpleNamespace) -> None:
    with gr.Tab("执法人员", id="officer", elem_id="tab-officer"):
        with gr.Row():
            with gr.Column(scale=11, min_width=340):
                _officer_chat_column(ui)
            with gr.Column(scale=9, min_width=300):
                gr.Markdown("**引用条文**　点击回答中的 [n] 或条文卡片，查看对应条款及整条原文。", elem_classes="hint")
                ui.panel = gr.HTML(render.PANEL_EMPTY, elem_id="clause-panel", js_on_load=CLAUSE_JS,
                                   max_height=640)
                with gr.Accordion("整条及相邻条文", open=False, elem_id="article-box") as ui.article_box:
                    ui.article = gr.HTML(render.ARTICLE_EMPTY, elem_id="article-view")
        with gr.Row():
            with gr.Column(scale=11, min_width=340):
                ui.basis_btn = gr.Button("复制为决定书依据", elem_id="basis-btn")
                ui.basis = gr.Textbox(label="行政处罚决定书依据段落", lines=4, max_lines=12, elem_id="basis",
                                      interactive=False)
                ui.copy_msg = gr.Markdown("", elem_id="copy-msg", elem_classes="copy-msg")
                gr.Examples(OFFICER_EXAMPLES, inputs=ui.question, label="示例问题", **PRIVATE)
            with gr.Column(scale=9, min_width=300):
                with gr.Accordion("我的对话", open=True, elem_id="conv-box"):
                    ui.convs = gr.HTML(render.HISTORY_EMPTY, elem_id="conv-list", js_on_load=CONVS_JS)


def _trainer_tab(ui: SimpleNamespace, corpus) -> None:
    doc_choices = [(f"{k}（{d.doc_type}）", k) for k, d in corpus.documents.items() if d.doc_type != "典型案例"]
    default_docs = [k for k in QUIZ_DEFAULT_DOCS if k in corpus.documents]
    with gr.Tab("培训", id="trainer", elem_id="tab-trainer"):
        gr.Markdown("### 培训出题（需登录）\n从条文原文生成单选、多选、判断、填空题，答案与解析均指向条文；"
                    "可在页面预览后导出 XLSX（考试系统导入模板）、Moodle GIFT 或 DOCX 试卷。")
        with gr.Row():
            ui.q_docs = gr.Dropdown(doc_choices, value=default_docs, multiselect=True,
                                    label="文件（清空则为全部现行文件）", elem_id="quiz-docs", scale=3)
            ui.q_chapters = gr.Dropdown(render.chapter_choices(corpus, default_docs or None), multiselect=True,
                                        allow_custom_value=True, label="章节（可选，可输入）", elem_id="quiz-chapters",
                                        scale=2)
            ui.q_topics = gr.Dropdown(TOPIC_CHOICES, multiselect=True, allow_custom_value=True,
                                      label="主题/关键词（可选，可输入）", elem_id="quiz-topics", scale=2)
        with gr.Row():  # no minimum/maximum here: Gradio would refuse out-of-range values in English
            ui.counts = [gr.Number(n, label=f"{t}（0–{h.MAX_PER_TYPE}）", precision=0, elem_id=eid)
                         for n, t, eid in ((8, "单选题", "n-single"), (4, "多选题", "n-multi"), (4, "判断题", "n-judge"),
                                           (4, "填空题", "n-blank"))]
            ui.level = gr.Radio(["易", "中", "难"], value="中", label="难度", elem_id="quiz-level", min_width=200)
            ui.seed = gr.Number(0, label="随机种子", precision=0, elem_id="quiz-seed")
        ui.make = gr.Button("生成题目", variant="primary", elem_id="quiz-make")
        ui.quiz_msg = gr.Markdown("", elem_id="quiz-msg")
        ui.preview = gr.Dataframe(headers=["题型", "题干", "选项", "答案", "依据"], wrap=True, interactive=False,
                                  datatype=["str", "str", "markdown", "str", "str"], line_breaks=True,
                                  column_widths=["7%", "45%", "28%", "7%", "13%"], max_height=640,
                                  elem_id="quiz-preview", label="题目预览")
        with gr.Row():
            ui.exports = {fmt: gr.Button(label, elem_id=f"quiz-{fmt}") for fmt, label in
                          (("xlsx", "导出 XLSX"), ("gift", "导出 Moodle GIFT"), ("docx", "导出 DOCX 练习册"),
                           ("paper-docx", "试卷+答案（Word）"), ("paper-pdf", "试卷+答案（PDF）"))}
        ui.quiz_file = gr.HTML("", elem_id="quiz-file", label="下载")


def _wire_login(ui: SimpleNamespace) -> None:
    login_out = [ui.token, ui.login_msg, ui.password, ui.tabs, ui.login_box, ui.ticket, ui.convs]
    # bcrypt is deliberately slow: at most two password checks at a time.
    gr.on([ui.login_btn.click, ui.password.submit], h.do_login, [ui.username, ui.password, ui.token], login_out,
          concurrency_limit=2, concurrency_id="login", **PRIVATE).then(
        None, [ui.ticket], None, js="(t) => window.yijuKeepLogin && window.yijuKeepLogin(t)", **PRIVATE)
    ui.demo.load(h.restore, [ui.token], login_out, **PRIVATE).then(h.resume, [ui.token], chat_outputs(ui),
                                                                  **PRIVATE).then(
        None, None, None, js="() => window.yijuToAnswer && window.yijuToAnswer('officer-chat')", **PRIVATE)
    ui.logout_btn.click(h.do_logout, [ui.token, ui.session_id],
                        [ui.token, ui.login_msg, ui.chat, ui.question, ui.last, ui.panel, ui.article_box, ui.article,
                         ui.basis, ui.preview, ui.quiz_state, ui.quiz_file, ui.quiz_msg, ui.chat_state, ui.login_box,
                         ui.convs, ui.ticket], **PRIVATE).then(
        None, None, None, js="() => window.yijuForget && window.yijuForget()", **PRIVATE)


def chat_outputs(ui: SimpleNamespace) -> list:
    """What every officer-chat handler updates (see ui.handlers.officer_ask)."""
    return [ui.chat, ui.question, ui.session_id, ui.last, ui.panel, ui.basis, ui.article_box, ui.article,
            ui.chat_state, ui.convs, ui.status]


def _wire_officer(ui: SimpleNamespace) -> None:
    chat_out = chat_outputs(ui)
    # Chat histories are inputs only as server-side State: whatever a client sends for them is ignored.
    gr.on([ui.send.click, ui.question.submit], h.officer_echo, [ui.question, ui.chat_state, ui.token],
          [ui.chat, ui.status], show_progress="hidden", **PRIVATE).then(
        None, None, None, js="() => window.yijuToBottom && window.yijuToBottom('officer-chat')", **PRIVATE).then(
        h.officer_ask, [ui.question, ui.chat_state, ui.token, ui.session_id], chat_out, show_progress="hidden",
        concurrency_limit=2, concurrency_id="answer", **PRIVATE).then(
        None, None, None, js="() => window.yijuToAnswer && window.yijuToAnswer('officer-chat')", **PRIVATE)
    ui.clear.click(h.new_chat, [ui.token, ui.session_id], chat_out, **PRIVATE)
    ui.convs.select(h.open_conversation, [ui.token], chat_out, **PRIVATE).then(
        None, None, None, js="() => window.yijuToAnswer && window.yijuToAnswer('officer-chat')", **PRIVATE)
    ui.basis_btn.click(h.show_basis, [ui.last, ui.token], [ui.basis], **PRIVATE).then(
        None, [ui.basis], [ui.copy_msg], js="(t) => window.yijuCopy ? window.yijuCopy(t) : ''", **PRIVATE)
    ui.panel.select(h.show_article, [ui.token], [ui.article_box, ui.article], **PRIVATE).then(
        None, None, None, js=SCROLL_TO_ARTICLE, **PRIVATE)
    ui.chat.like(h.rate_message, [ui.chat_state, ui.comment, ui.token], [ui.fb_msg, ui.comment], **PRIVATE)


def _wire_trainer(ui: SimpleNamespace) -> None:
    ui.q_docs.change(h.quiz_chapters, [ui.token, ui.q_docs], [ui.q_chapters], **PRIVATE)
    quiz = {"concurrency_limit": 1, "concurrency_id": "quiz"}  # quiz building and exports: one at a time
    ui.make.click(h.quiz_make, [ui.token, ui.q_docs, ui.q_chapters, ui.q_topics, *ui.counts, ui.level, ui.seed],
                  [ui.preview, ui.quiz_state, ui.quiz_msg], **quiz, **PRIVATE)
    for fmt, btn in ui.exports.items():
        btn.click(h.export(fmt), [ui.token, ui.quiz_state], [ui.quiz_file, ui.quiz_msg], **quiz, **PRIVATE)


def _wire_public(ui: SimpleNamespace) -> None:
    # The one public endpoint (public_ask). Its own concurrency group, so public traffic cannot starve officers.
    gr.on([ui.pub_send.click, ui.pub_q.submit], h.public_echo, [ui.pub_q, ui.pub_state], [ui.pub_chat],
          show_progress="hidden", **PRIVATE).then(
        h.public_ask, [ui.pub_q, ui.pub_state], [ui.pub_chat, ui.pub_q, ui.pub_state], api_name="public_ask",
        api_description="公众咨询：只解答查询机构资质、投诉举报渠道、检验检测报告常识与公众权利（限频）。",
        concurrency_limit=2, concurrency_id="public", show_progress="hidden").then(
        None, None, None, js="() => window.yijuToAnswer && window.yijuToAnswer('public-chat')", **PRIVATE)


def build_app() -> gr.Blocks:
    """The page. Answers are CPU-bound: groups "answer" (officer/trainer questions, 2 at a time), "public" (2,
    separate so that public traffic cannot starve officers), "login" (2 bcrypt checks), "quiz" (1); the light
    handlers 2 each. At most 200 waiting events; api_open=False keeps every call on the queue."""
    from assistant.public import PUBLIC_FAQ

    corpus = h.corpus()
    ui = SimpleNamespace()
    with gr.Blocks(title=TITLE, delete_cache=(600, 3600)) as ui.demo:
        ui.token, ui.session_id, ui.last, ui.quiz_state = gr.State(""), gr.State(""), gr.State({}), gr.State([])
        ui.chat_state = gr.State([], time_to_live=HISTORY_TTL_S)  # the officer chat, server-side
        ui.pub_state = gr.State([], time_to_live=HISTORY_TTL_S)  # the public chat, server-side
        _header(ui)
        with gr.Tabs(selected="public") as ui.tabs:
            _public_tab(ui, h.public_topics(PUBLIC_FAQ))
            _officer_tab(ui)
            _trainer_tab(ui, corpus)
        _wire_login(ui)
        _wire_officer(ui)
        _wire_trainer(ui)
        _wire_public(ui)
    ui.demo.queue(default_concurrency_limit=2, max_size=200, api_open=False)
    return ui.demo


def mount_options() -> dict:
    """What ui.api passes to gr.mount_gradio_app: theme, CSS and the page's script."""
    return {"theme": theme(), "css": static_text("yiju.css"), "js": static_text("yiju.js")}
