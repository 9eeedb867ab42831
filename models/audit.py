"""Write one audit row in the caller's transaction (flushes, never commits)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from models.base import utcnow
from models.households import AuditLog


def record(*, session: Session, actor: str, action: str, target: str = "", before: dict[str, Any] | None = None,
           after: dict[str, Any] | None = None, community_id: int | None = None,
           at: datetime | None = None) -> AuditLog:
    """Who did what to which target, with the values before and after."""
    row = AuditLog(actor=actor[:64], action=action[:64], target=target[:128], before=before, after=after,
                   community_id=community_id, at=at or utcnow())
    session.add(row)
    session.flush()
    return row
