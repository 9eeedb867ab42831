"""``/console/faq``: the policy FAQ, its unanswered questions, policy articles, import/export.

Admins edit; workers read (and try questions).  Every write is audited, committed
once, and bumps the FAQ version so each web worker rebuilds its index within
seconds; this worker's cache is told at once.
"""
from __future__ import annotations

from importlib import import_module

from flask import Blueprint

from bot import db, runtime
from bot.console import nav
from bot.console.auth import actor
from bot.runtime import now, render
from handlers.faq import followup
from handlers.faq.cache import IndexCache, cache_for
from models import UnansweredQuestion

bp = Blueprint("console_faq", __name__, url_prefix="/console/faq")
nav.add("console_faq.entries", "政策问答", ("admin", "worker"))
nav.add("console_faq.unanswered", "未答问题", ("admin", "worker"))
nav.add("console_faq.articles", "政策文章", ("admin",))

EDITORS = ("admin",)
READERS = ("admin", "worker")


def faq_cache() -> IndexCache:
    return cache_for(runtime.services())


def rebuild_and_follow_up(entry_ids: set[int]) -> list[UnansweredQuestion]:
    """After an edit (flushed, before the one commit): rebuild this worker's index and close
    the open questions that an entry just written now answers, sending its answer to their
    askers.  The other workers notice the new version within ``cache.CHECK_EVERY_S``."""
    sess = db.session()
    index = faq_cache().rebuild_now(session=sess)
    return followup.answer_matched(followup.decider(index), entry_ids, actor=actor(), render=render,
                                   now=now(), session=sess)


# View modules register themselves on ``bp`` when imported.
VIEWS = ["entries", "unanswered", "articles", "transfer"]
for _name in VIEWS:
    import_module(f"bot.console.faq.{_name}")
