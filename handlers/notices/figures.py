"""Delivery figures of notices, read from their outbox rows (``notice:<id>:<openid>``).

recipients: rows queued; sent: delivered (customer-service or template message);
failed: given up (``dead``); waiting: outside the 48-hour window with no template, or
not yet sent (pending, sending, waiting).
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import func
from sqlmodel import Session, select

from handlers.notices import scope as scopes
from models import Notice, OutboundMessage
from models.notices import dedup_pattern


def of(notice_id: int, *, session: Session) -> dict[str, int]:
    """{"recipients", "sent", "failed", "waiting"} for one notice."""
    counts = dict(session.exec(select(OutboundMessage.status, func.count())
                               .where(OutboundMessage.dedup_key.like(dedup_pattern(notice_id)))
                               .group_by(OutboundMessage.status)).all())
    total = sum(counts.values())
    sent, failed = counts.get("sent", 0), counts.get("dead", 0)
    return {"recipients": total, "sent": sent, "failed": failed, "waiting": total - sent - failed}


def listing(notices: Iterable[Notice], *, session: Session) -> list[dict]:
    """Rows for the console and ``notice list --json``: the notice, its scope and its figures."""
    return [{"notice": n, "scope": scopes.label(n.building_id, n.unit, session=session), **of(n.id, session=session)}
            for n in notices]
