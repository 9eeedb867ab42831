"""The row that records one inbound message: its exactly-once key, payload, status and reply.

Written by the request (``pipeline``) and by the backlog's shed path alike, as
one prebuilt Core INSERT on the session's connection: it runs for every message,
so it skips the ORM's unit of work and builds no statement per call.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session

from handlers import replies
from handlers.inbound import Inbound
from models import InboundMessage

_INSERT = insert(InboundMessage.__table__)


def row(message: Inbound, when: datetime, *, status: str, reply: replies.Reply, handler: str,
        payload: dict) -> dict:
    """The column values of ``message``'s record."""
    return dict(dedup_key=message.dedup_key, openid=message.openid, msg_type=message.msg_type,
                event=getattr(message, "event", None), create_time=message.create_time, received_at=when,
                payload=payload, status=status, reply=reply.to_dict(), handler=handler[:64])


def insert_row(sess: Session, values: dict) -> None:
    """Record it in the session's transaction (IntegrityError: the key is already recorded)."""
    sess.connection().execute(_INSERT, values)
