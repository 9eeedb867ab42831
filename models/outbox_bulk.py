"""Queue many outbox rows in a few statements, skipping those whose dedup key exists.

For fan-outs (a notice to a whole community): one INSERT per chunk with ON CONFLICT
DO NOTHING on ``dedup_key`` (SQLite and PostgreSQL), instead of one ORM row and one
existence check per resident.  A second call with the same keys inserts nothing, and a
concurrent one waits for the first (PostgreSQL) or for the write lock (SQLite), then
skips.  Flushes nothing of the ORM's; the caller commits.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from models.wechat import OutboundMessage

CHUNK = 2000


def enqueue_many(session: Session, rows: Iterable[tuple[str, str]], *, payload: dict[str, Any], kind: str,
                 now: datetime) -> int:
    """Queue ``payload`` for each (openid, dedup key); returns how many rows were new."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    values = [{"openid": openid, "kind": kind, "payload": payload, "dedup_key": key, "status": "pending",
               "attempts": 0, "next_attempt_at": now, "created_at": now} for openid, key in rows]
    added = 0
    for start in range(0, len(values), CHUNK):
        statement = (dialect.insert(OutboundMessage.__table__).values(values[start:start + CHUNK])
                     .on_conflict_do_nothing(index_elements=["dedup_key"]))
        added += session.execute(statement).rowcount or 0
    return added
