"""Outbox operations for the console, the gateway and the figures (flush only; the edge commits)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Session, select

from models import OutboundMessage
from models.base import utcnow

STATUSES = ("pending", "sending", "sent", "waiting", "dead")


def list_dead(*, session: Session, limit: int = 200) -> list[OutboundMessage]:
    """Dead letters, newest first."""
    query = (select(OutboundMessage).where(OutboundMessage.status == "dead")
             .order_by(OutboundMessage.id.desc()).limit(limit))
    return list(session.exec(query))


def retry(message_id: int, *, session: Session, now: datetime | None = None) -> OutboundMessage:
    """Send a dead (or waiting) message again from scratch; LookupError if there is none to retry."""
    row = session.get(OutboundMessage, message_id)
    if row is None or row.status not in ("dead", "waiting"):
        raise LookupError(f"outbound message {message_id} is not dead or waiting")
    row.status, row.attempts, row.next_attempt_at = "pending", 0, now or utcnow()
    row.claimed_by = row.claimed_at = None
    session.add(row)
    session.flush()
    return row


def wake_waiting(openid: str, now: datetime, *, session: Session) -> int:
    """The resident interacted: messages waiting for a window become due now."""
    result = session.execute(update(OutboundMessage)
                             .where(OutboundMessage.openid == openid, OutboundMessage.status == "waiting")
                             .values(status="pending", next_attempt_at=now))
    return result.rowcount or 0


def counts(*, session: Session) -> dict[str, int]:
    """Rows per status (every status present, zero when none)."""
    rows = session.execute(select(OutboundMessage.status, func.count()).group_by(OutboundMessage.status)).all()
    found = {status: n for status, n in rows}
    return {status: found.get(status, 0) for status in STATUSES}
