"""Queue a message for a resident in the caller's transaction (the outbox pattern).

Lives beside the tables because every domain (handlers, surveys) queues
notices and must not import a layer above it.  Flushes, never commits.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from models.base import utcnow
from models.wechat import OutboundMessage


def enqueue(*, session: Session, openid: str, payload: dict[str, Any], kind: str = "reply",
            dedup_key: str | None = None, not_before: datetime | None = None) -> OutboundMessage:
    """Add a message to the outbox; with ``dedup_key`` a second call returns the first row."""
    if dedup_key:
        existing = session.exec(select(OutboundMessage).where(OutboundMessage.dedup_key == dedup_key)).first()
        if existing is not None:
            return existing
    row = OutboundMessage(openid=openid, kind=kind, payload=payload, dedup_key=dedup_key,
                          next_attempt_at=not_before or utcnow())
    session.add(row)
    session.flush()
    return row


def enqueue_text(*, session: Session, openid: str, text: str, kind: str = "reply",
                 dedup_key: str | None = None, template: dict[str, Any] | None = None) -> OutboundMessage:
    """Queue a text; ``template`` ({"kind", "data"}) is the fallback outside the 48-hour window."""
    payload: dict[str, Any] = {"text": text}
    if template:
        payload["template"] = template
    return enqueue(openid=openid, payload=payload, kind=kind, dedup_key=dedup_key, session=session)
