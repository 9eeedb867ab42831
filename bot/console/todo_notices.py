"""To-do section: notices going out today (local day) and notices whose delivery failed lately (one query).

Failures are read from the notices' outbox rows (``notice:<id>:<openid>`` in ``dead``),
for notices sent within ``FAILED_WINDOW``: an old failure is history, not today's work.
"""
from __future__ import annotations

from datetime import timedelta

from flask import url_for
from sqlalchemy import String, cast, func, literal
from sqlmodel import select

from bot.console.todo import Entry, Section, Viewer, scope, section
from models import Notice, OutboundMessage
from models.localtime import day_start, today
from models.notices import DEDUP_PREFIX

FAILED_WINDOW = timedelta(days=7)
WAITING = ("scheduled", "sending")


def _today_count(viewer: Viewer):
    day = today(viewer.now)
    query = (select(func.count(Notice.id)).where(Notice.status.in_(WAITING), Notice.send_at >= day_start(day),
                                                 Notice.send_at < day_start(day + timedelta(days=1))))
    return scope(query, Notice.community_id, viewer).scalar_subquery()


def _failed_count(viewer: Viewer):
    pattern = literal(f"{DEDUP_PREFIX}:") + cast(Notice.id, String) + literal(":%")
    query = (select(func.count(func.distinct(Notice.id)))
             .join(OutboundMessage, OutboundMessage.dedup_key.like(pattern))
             .where(OutboundMessage.status == "dead", OutboundMessage.kind == "notice",
                    Notice.sent_at >= viewer.now - FAILED_WINDOW))
    return scope(query, Notice.community_id, viewer).scalar_subquery()


@section
def notices_today(viewer: Viewer) -> Section | None:
    if viewer.role == "department":
        return None
    waiting, failed = viewer.session.exec(select(_today_count(viewer), _failed_count(viewer))).one()
    url = url_for("console.notices")
    entries = [Entry("今天要发的通知", url, int(waiting or 0)),
               Entry(f"近 {FAILED_WINDOW.days} 天有居民没收到的通知（送达失败）", url, int(failed or 0))]
    return Section("notices", "今天要发的通知", "今天没有要发的通知。", [e for e in entries if e.count])
