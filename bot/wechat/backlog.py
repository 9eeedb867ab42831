"""Messages acknowledged now and answered a little later, through the outbox.

WeChat waits 5 seconds for a reply.  Above the machine's capacity requests
queue in the web worker; one that already waited ``wechat.shed_after_s`` is
not handled in the request: it is recorded with status ``queued`` (one
INSERT, the same exactly-once key) and answered ``success``.  A resident's
later messages join the queue while one of theirs waits, so a conversation
keeps its order.  The clock's ``wechat.drain_backlog`` job handles queued
messages oldest first, each in its own transaction with its side effects,
and sends the reply as a customer-service message (the resident has just
written: the 48-hour window is open).

A reply computed too late for the request (past ``wechat.reply_budget_s``)
goes the same way: WeChat has given up on the connection, the outbox has not.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.wechat import records
from handlers import replies
from handlers.inbound import Inbound, parse
from models import InboundMessage
from models.outbox import enqueue

log = logging.getLogger(__name__)
QUEUED = "queued"


def record_queued(sess: Session, message: Inbound, when: datetime) -> bool:
    """Record ``message`` for the drain job; False when a concurrent attempt recorded it first.

    This is the path taken when the machine is past its capacity, so it is one
    Core INSERT (no ORM unit of work): it must stay much cheaper than handling.
    """
    values = records.row(message, when, status=QUEUED, reply=replies.SUCCESS, handler=QUEUED,
                         payload=dict(message.raw))  # all of it: the drain parses it again
    try:
        records.insert_row(sess, values)
        sess.commit()
    except IntegrityError:
        sess.rollback()
        return False
    return True


def send_later(sess: Session, openid: str, reply: replies.Reply, dedup_key: str | None) -> None:
    """Queue ``reply`` as a customer-service message (nothing for ``success``)."""
    payload = payload_of(reply)
    if payload is not None:
        enqueue(openid=openid, payload=payload, kind="reply", dedup_key=dedup_key, session=sess)


def payload_of(reply: replies.Reply) -> dict[str, Any] | None:
    """The outbox payload that says what a passive reply would have said."""
    if reply.type == "text":
        return {"text": reply.content}
    if reply.type == "news":
        return {"news": [{"title": a.title, "description": a.description, "url": a.url, "picurl": a.pic_url}
                         for a in reply.articles]}
    if reply.type == "image":
        return {"image": reply.media_id}
    return None


def drain(sess: Session, handle, apology: replies.Reply, *, limit: int = 200,
          seconds: float = 20.0) -> dict[str, int]:
    """Handle queued messages oldest first; ``handle(sess, row, message)`` returns (reply, handler).

    Each message is one transaction: its side effects, its outbox reply, its
    status.  A row another drain holds (PostgreSQL, SKIP LOCKED) is left to it.
    A message whose handler fails is kept as ``failed`` and the resident gets
    ``apology``, as in the request.
    """
    counts = {"done": 0, "failed": 0}
    deadline = time.monotonic() + seconds
    ids = sess.exec(select(InboundMessage.id).where(InboundMessage.status == QUEUED)
                    .order_by(InboundMessage.id).limit(limit)).all()
    sess.rollback()
    for row_id in ids:
        if time.monotonic() > deadline:
            break
        outcome = drain_one(sess, row_id, handle, apology)
        if outcome:
            counts[outcome] += 1
    return counts


def drain_one(sess: Session, row_id: int, handle, apology: replies.Reply) -> str | None:
    row = sess.exec(select(InboundMessage).where(InboundMessage.id == row_id, InboundMessage.status == QUEUED)
                    .with_for_update(skip_locked=True)).first()
    if row is None:  # handled meanwhile
        sess.rollback()
        return None
    try:
        message = parse(dict(row.payload))
        reply, handler = handle(sess, row, message)
        send_later(sess, row.openid, reply, dedup_key=f"inbound:{row.id}")
        row.status, row.handler = "done", f"later:{handler}"[:64]
        sess.add(row)
        sess.commit()
        return "done"
    except Exception:  # noqa: BLE001 (a bug must not stop the backlog: keep the message, apologise)
        log.exception("wechat: queued message %s failed", row_id)
        sess.rollback()
        return mark_failed(sess, row_id, apology)


def mark_failed(sess: Session, row_id: int, apology: replies.Reply) -> str:
    row = sess.get(InboundMessage, row_id)
    row.status, row.handler = "failed", "later:error"
    sess.add(row)
    send_later(sess, row.openid, apology, dedup_key=f"inbound:{row.id}")
    sess.commit()
    return "failed"
