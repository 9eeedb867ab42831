"""Claiming outbox rows for one delivery run, and giving back claims nobody will finish.

A claim is a committed state change (pending -> sending, ``claimed_by`` =
the run's id) made before anything is sent, so two runs never send the same
row.  On PostgreSQL the batch is selected FOR UPDATE SKIP LOCKED; on SQLite
every transaction holds the write lock (BEGIN IMMEDIATE), which serialises
claims the same way.  A run that dies leaves rows in ``sending``: they are
given back when their claimer is a process of this host that no longer exists,
or when the claim is older than ``outbox.claim_timeout_s``.  Only a row sent
but not yet marked when its run died can then be sent twice.
"""
from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session

from models import OutboundMessage, Resident

HOST = socket.gethostname()[:20]


@dataclass(frozen=True)
class Claimed:
    """What a run needs to send one row, read in the claim's transaction (no lazy loads later)."""

    id: int
    openid: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    last_interaction_at: datetime | None


def new_run_id() -> str:
    return f"{HOST}:{os.getpid()}:{secrets.token_hex(3)}"


def claim(run_id: str, now: datetime, limit: int, *, session: Session) -> list[Claimed]:
    """Mark up to ``limit`` due rows as ``sending`` for ``run_id``; the caller commits."""
    query = (select(OutboundMessage.id).where(OutboundMessage.status == "pending",
                                               OutboundMessage.next_attempt_at <= now)
             .order_by(OutboundMessage.next_attempt_at, OutboundMessage.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list(session.execute(query).scalars())
    if not ids:
        return []
    session.execute(update(OutboundMessage).where(OutboundMessage.id.in_(ids))
                    .values(status="sending", claimed_by=run_id, claimed_at=now))
    rows = session.execute(
        select(OutboundMessage.id, OutboundMessage.openid, OutboundMessage.kind, OutboundMessage.payload,
               OutboundMessage.attempts, Resident.last_interaction_at)
        .outerjoin(Resident, Resident.openid == OutboundMessage.openid)
        .where(OutboundMessage.id.in_(ids)).order_by(OutboundMessage.next_attempt_at, OutboundMessage.id))
    return [Claimed(*row) for row in rows]


def release(run_id: str, ids: list[int], *, session: Session) -> None:
    """Give back claimed rows untouched (the run stops early); no attempt is counted."""
    if ids:
        session.execute(update(OutboundMessage).where(OutboundMessage.id.in_(ids),
                                                      OutboundMessage.claimed_by == run_id)
                        .values(status="pending", claimed_by=None, claimed_at=None))


def reclaim_abandoned(now: datetime, timeout_s: float, *, session: Session) -> int:
    """Return to ``pending`` the rows of runs that died or overran ``timeout_s``; the caller commits."""
    owners = session.execute(select(OutboundMessage.claimed_by).where(OutboundMessage.status == "sending")
                             .distinct()).scalars().all()
    dead = [owner for owner in owners if owner and not _claimer_alive(owner)]
    stale = (OutboundMessage.claimed_at < now - timedelta(seconds=timeout_s)) | OutboundMessage.claimed_at.is_(None)
    if dead:
        stale = stale | OutboundMessage.claimed_by.in_(dead)
    result = session.execute(update(OutboundMessage).where(OutboundMessage.status == "sending", stale)
                             .values(status="pending", claimed_by=None, claimed_at=None))
    return result.rowcount or 0


def _claimer_alive(owner: str) -> bool:
    """False only when we can tell: the claimer ran on this host and its process is gone."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != HOST or not pid_text.isdigit():
        return True
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
