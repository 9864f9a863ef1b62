"""The Gradio app: 公众咨询 FAQ (the landing tab, no login), 执法人员 chat with a clause panel and a conversation
list, 培训 quiz builder. This module only gathers the pieces: the layout and wiring are ui.page, the handlers
ui.handlers, the HTML ui.render, styles and the page's script ui/static/.

Access control lives in the handlers, not in the page:

* a login puts a random token into gr.State. Gradio keeps State on the server (it is never sent to the
  browser and cannot be supplied by an API caller), and the token is bound to the client address. To survive a
  reload the token is also kept in an HttpOnly, SameSite=Strict cookie set by /session (ui.websession) from a
  one-time ticket; the page's load handler reads it back and checks it like any token;
* both chat histories are kept server-side too (gr.State, plain role + text messages): a history sent by a
  client is never read, so it cannot smuggle file references into the reply. The officer's conversations are
  also saved per user in YIJU_HOME (ui.history) and only ever listed or opened for that user;
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

from ui.handlers import (
    MAX_HISTORY,
    MAX_PUBLIC_QUESTION,
    MAX_QUESTION,
    NEED_LOGIN,
    do_login,
    do_logout,
    export,
    new_chat,
    officer_ask,
    officer_echo,
    open_conversation,
    public_ask,
    public_topics,
    quiz_make,
    rate_message,
    restore,
    resume,
    show_article,
    show_basis,
    warm_up,
)
from ui.handlers import clean_history as _history
from ui.page import TITLE, build_app, mount_options
from ui.render import ARTICLE_EMPTY, PANEL_EMPTY, badge, chapter_choices, clause_panel, quiz_rows

__all__ = ["ARTICLE_EMPTY", "MAX_HISTORY", "MAX_PUBLIC_QUESTION", "MAX_QUESTION", "NEED_LOGIN", "PANEL_EMPTY",
           "TITLE", "_history", "article_view", "badge", "build_app", "chapter_choices", "clause_panel", "do_login",
           "do_logout", "export", "mount_options", "new_chat", "officer_ask", "officer_echo", "open_conversation",
           "public_ask", "public_topics", "quiz_make", "quiz_rows", "rate_message", "restore", "resume", "serve",
           "show_article", "show_basis", "warm_up"]


def article_view(provision_id: str, corpus=None) -> str:  # noqa: ANN001 - corpus.load.Corpus
    """The whole article of a provision with its neighbours (the loaded corpus unless one is given)."""
    from ui import handlers, render

    return render.article_view(provision_id, corpus or handlers.corpus())


def serve(host: str = "127.0.0.1", port: int = 7860) -> None:
    """The page alone, with the same protections as `serve --api` (see ui.api.create_app)."""
    from ui.api import run

    run(host, port, with_api=False)
