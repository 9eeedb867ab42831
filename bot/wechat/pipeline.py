"""Record an inbound message exactly once, dispatch it, keep its reply.

The record, the handler's side effects and the stored reply are one
transaction.  A retry (same dedup key) collides on the unique constraint,
waits for the first attempt to commit (the database serialises them) and gets
the stored reply: no second side effect, the same answer, even when retries
land on two workers at once.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime, timezone

from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot import db
from handlers import replies
from handlers.context import Context
from handlers.dispatch import dispatch
from handlers.inbound import Event, Inbound
from models import InboundMessage, Resident

log = logging.getLogger(__name__)

# Events that are not the resident interacting with us (no 48-hour window).
PASSIVE_EVENTS = {"unsubscribe", "templatesendjobfinish", "subscribe_msg_sent_event", "masssendjobfinish",
                  "view", "subscribe_msg_popup_event"}


def handle_inbound(message: Inbound, *, now: float) -> replies.Reply:
    sess = db.session()
    when = datetime.fromtimestamp(now, timezone.utc)
    record = InboundMessage(dedup_key=message.dedup_key, openid=message.openid, msg_type=message.msg_type,
                            event=getattr(message, "event", None), create_time=message.create_time,
                            received_at=when, payload=payload_of(message), status="done")
    sess.add(record)
    try:
        sess.flush()
    except IntegrityError:
        sess.rollback()
        return stored_reply(sess, message.dedup_key)
    started = time.perf_counter()
    try:
        reply, handler = dispatch(message, build_context(sess, message, when))
        record.reply, record.handler = reply.to_dict(), handler[:64]
        sess.add(record)
        sess.commit()
    except Exception:
        log.exception("wechat: handler failed for %s (%s)", message.dedup_key, message.key)
        sess.rollback()
        return record_failure(sess, message, when)
    log.debug("wechat: %s answered by %s in %.1f ms", message.key, handler, (time.perf_counter() - started) * 1e3)
    return reply


def payload_of(message: Inbound) -> dict:
    return {k: v for k, v in message.raw.items() if k not in ("ToUserName",)}


def stored_reply(sess: Session, dedup_key: str) -> replies.Reply:
    row = sess.exec(select(InboundMessage).where(InboundMessage.dedup_key == dedup_key)).first()
    sess.rollback()  # end the read transaction (SQLite holds its lock until then)
    if row is None or row.reply is None:
        return replies.SUCCESS
    return replies.Reply.from_dict(row.reply)


def record_failure(sess: Session, message: Inbound, when: datetime) -> replies.Reply:
    """Keep the message (an operator can replay it) and apologise; never a 500."""
    reply = replies.text(current_app.jinja_env.get_template("wechat/error.txt").render().strip())
    try:
        sess.add(InboundMessage(dedup_key=message.dedup_key, openid=message.openid, msg_type=message.msg_type,
                                event=getattr(message, "event", None), create_time=message.create_time,
                                received_at=when, payload=payload_of(message), status="failed",
                                reply=reply.to_dict(), handler="error"))
        sess.commit()
    except IntegrityError:
        sess.rollback()
        return stored_reply(sess, message.dedup_key)
    return reply


def build_context(sess: Session, message: Inbound, when: datetime) -> Context:
    resident = get_or_create_resident(sess, message.openid, when)
    if not (isinstance(message, Event) and message.event in PASSIVE_EVENTS):
        resident.last_interaction_at = when
        sess.add(resident)
    app = current_app
    return Context(session=sess, settings=app.config["LINLI"], now=when, render=render_text,
                   resident=resident, inbound=message, services=app.extensions.get("linli.services", {}))


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


def render_text(template: str, **values) -> str:
    return current_app.jinja_env.get_template(template).render(**values)
