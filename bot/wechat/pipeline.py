"""Record an inbound message exactly once, dispatch it, keep its reply.

The handler's side effects and the record with its reply are one
transaction.  A retry (same dedup key) that arrives after the first attempt
committed finds the record and gets the stored reply.  One racing the first
attempt on another worker either waits for it (SQLite: BEGIN IMMEDIATE) or
collides on the unique key at insert (PostgreSQL) and rolls back its own side
effects: no second side effect, the same answer.

Above capacity a message that waited too long before the app saw it, or
whose reply came too late, is answered through the outbox instead
(``bot.wechat.backlog``): WeChat never waits past ``wechat.reply_budget_s``.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from flask import current_app
from sqlalchemy import bindparam, exists, literal
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot import db, runtime
from bot.outbound import service as outbox
from bot.runtime import render
from bot.wechat import backlog, records
from handlers import registry, replies
from handlers.context import Context
from handlers.dispatch import dispatch
from handlers.inbound import Event, Inbound
from models import Conversation, InboundMessage, Resident

log = logging.getLogger(__name__)
INTERACTION_PRECISION = timedelta(minutes=1)

# Events that are not the resident interacting with us (no 48-hour window).
PASSIVE_EVENTS = {"unsubscribe", "templatesendjobfinish", "subscribe_msg_sent_event", "masssendjobfinish",
                  "view", "subscribe_msg_popup_event"}


def handle_inbound(message: Inbound, *, now: float, waited: float = 0.0) -> replies.Reply:
    """Answer ``message`` (``waited``: seconds it queued before the app saw it)."""
    sess = db.session()
    arrived = time.monotonic() - waited
    when = datetime.fromtimestamp(now, timezone.utc)
    known = prefetch(sess, message)
    if known.seen:  # a retry of a message already answered
        return stored_reply(sess, message.dedup_key) or replies.SUCCESS
    budget = current_app.config["LINLI"]["wechat"]
    if known.queued or waited > float(budget["shed_after_s"]):
        if backlog.record_queued(sess, message, when):
            return replies.SUCCESS
        return stored_reply(sess, message.dedup_key) or replies.SUCCESS  # a racing retry recorded it
    started = time.perf_counter()
    try:
        reply, handler = dispatch(message, build_context(sess, message, when, known))
        if time.monotonic() - arrived > float(budget["reply_budget_s"]):  # WeChat stopped waiting
            backlog.send_later(sess, message.openid, reply, dedup_key=None)
            reply, handler = replies.SUCCESS, f"late:{handler}"
        records.insert_row(sess, record_values(message, when, status="done", reply=reply, handler=handler))
        sess.commit()
    except IntegrityError:
        # Either a concurrent attempt of this message committed first (answer with its
        # reply), or a handler broke a constraint (a bug: apologise, keep the message).
        sess.rollback()
        stored = stored_reply(sess, message.dedup_key)
        if stored is not None:
            return stored
        log.exception("wechat: handler broke a constraint for %s (%s)", message.dedup_key, message.key)
        return record_failure(sess, message, when)
    except Exception:
        log.exception("wechat: handler failed for %s (%s)", message.dedup_key, message.key)
        sess.rollback()
        return record_failure(sess, message, when)
    log.debug("wechat: %s answered by %s in %.1f ms", message.key, handler, (time.perf_counter() - started) * 1e3)
    return reply


def drain_backlog(sess: Session) -> dict[str, int]:
    """Answer the queued messages through the outbox (the clock's ``wechat.drain_backlog``)."""
    return backlog.drain(sess, handle_queued, apology())


def handle_queued(sess: Session, row: InboundMessage, message: Inbound) -> tuple[replies.Reply, str]:
    """A queued message, handled as if it had just arrived (at the time it did)."""
    return dispatch(message, build_context(sess, message, row.received_at))


@dataclass(frozen=True, slots=True)
class Known:
    """What one statement told about a message before handling it (see ``prefetch``)."""

    seen: bool
    queued: bool
    resident: Resident | None
    conversation: Conversation | None
    probes: dict


def prefetch(sess: Session, message: Inbound) -> Known:
    """One round trip: retry?, a message of theirs queued?, the resident, the conversation, the probes."""
    names = tuple(registry.PROBES)
    seen, queued, resident, conv, *values = sess.execute(
        _prefetch_statement(names), {"dedup_key": message.dedup_key, "openid": message.openid}).one()
    probes = dict(zip(names, values)) if resident is not None else {}
    return Known(bool(seen), bool(queued), resident, conv, probes)


@lru_cache(maxsize=4)
def _prefetch_statement(probe_names: tuple[str, ...]):
    """Built once per set of registered probes, then only executed (bind parameters)."""
    openid = bindparam("openid")
    anchor = select(literal(1).label("one")).subquery()
    return (select(exists().where(InboundMessage.dedup_key == bindparam("dedup_key")),
                   exists().where(InboundMessage.openid == openid, InboundMessage.status == backlog.QUEUED),
                   Resident, Conversation,
                   *(registry.PROBES[name]().label(f"probe_{n}") for n, name in enumerate(probe_names)))
            .select_from(anchor)
            .outerjoin(Resident, Resident.openid == openid)
            .outerjoin(Conversation, Conversation.openid == openid))


def record_values(message: Inbound, when: datetime, *, status: str, reply: replies.Reply, handler: str) -> dict:
    return records.row(message, when, status=status, reply=reply, handler=handler, payload=payload_of(message))


def new_record(message: Inbound, when: datetime, *, status: str, reply: replies.Reply,
               handler: str) -> InboundMessage:
    return InboundMessage(**record_values(message, when, status=status, reply=reply, handler=handler))


def payload_of(message: Inbound) -> dict:
    return {k: v for k, v in message.raw.items() if k not in ("ToUserName",)}


def stored_row(sess: Session, dedup_key: str) -> InboundMessage | None:
    row = sess.exec(select(InboundMessage).where(InboundMessage.dedup_key == dedup_key)).first()
    if row is not None:
        # Detached, the rollback cannot expire it: reading row.reply would otherwise reload it
        # in a new transaction (on SQLite BEGIN IMMEDIATE: the write lock, held to teardown).
        sess.expunge(row)
    sess.rollback()  # end the read transaction (SQLite holds its lock until then)
    return row


def stored_reply(sess: Session, dedup_key: str) -> replies.Reply | None:
    """The reply kept with an already recorded message (None: not recorded)."""
    row = stored_row(sess, dedup_key)
    if row is None:
        return None
    return replies.Reply.from_dict(row.reply) if row.reply else replies.SUCCESS


def apology() -> replies.Reply:
    return replies.text(render("wechat/error.txt").strip())


def record_failure(sess: Session, message: Inbound, when: datetime) -> replies.Reply:
    """Keep the message (an operator can replay it) and apologise; never a 500."""
    reply = apology()
    try:
        sess.add(new_record(message, when, status="failed", reply=reply, handler="error"))
        sess.commit()
    except IntegrityError:
        sess.rollback()
        stored = stored_row(sess, message.dedup_key)
        return replies.Reply.from_dict(stored.reply) if stored and stored.reply else reply
    return reply


def build_context(sess: Session, message: Inbound, when: datetime, known: Known | None = None) -> Context:
    resident = (known.resident if known else None) or get_or_create_resident(sess, message.openid, when)
    interacted = not (isinstance(message, Event) and message.event in PASSIVE_EVENTS)
    last = resident.last_interaction_at
    # The 48-hour window needs minute precision at most: skip the write in a burst.
    if interacted and (last is None or when - last >= INTERACTION_PRECISION or when < last):
        resident.last_interaction_at = when
        sess.add(resident)
        outbox.wake_waiting(message.openid, when, session=sess)  # the 48-hour window is open again
    app = current_app
    prefetched = {"conversation": known.conversation, **known.probes} if known is not None else {}
    return Context(session=sess, settings=app.config["LINLI"], now=when, render=render,
                   resident=resident, inbound=message, services=runtime.services(app),
                   prefetched=prefetched)


def get_or_create_resident(sess: Session, openid: str, when: datetime) -> Resident:
    found = sess.exec(select(Resident).where(Resident.openid == openid)).first()
    if found is not None:
        return found
    try:
        with sess.begin_nested():
            resident = Resident(openid=openid, subscribed_at=when, created_at=when)
            sess.add(resident)
        return resident
    except IntegrityError:  # created by a concurrent message of the same resident
        return sess.exec(select(Resident).where(Resident.openid == openid)).one()


