"""Tables of outbound delivery and the clock: the shared API token, daily figures."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from models.base import utcnow


class ApiToken(SQLModel, table=True):
    """WeChat's access_token, shared by every process when the database is PostgreSQL.

    One row per app id; refreshed under ``SELECT ... FOR UPDATE`` so that
    only one process asks WeChat for a new token (a refresh invalidates the
    previous token after five minutes).  SQLite deployments keep the token in
    a locked file beside the database instead, and Redis deployments in Redis.
    """

    __tablename__ = "api_token"

    app_id: str = Field(primary_key=True, max_length=64)
    value: str = Field(default="", max_length=512)
    expires_at: Optional[datetime] = None
    updated_at: datetime = Field(default_factory=utcnow)


class DailyFigures(SQLModel, table=True):
    """One row a day (Asia/Shanghai date): counts for operators and reports."""

    __tablename__ = "daily_figures"

    id: Optional[int] = Field(default=None, primary_key=True)
    day: date = Field(unique=True)
    residents: int = 0
    residents_active: int = 0
    inbound_messages: int = 0
    outbox_pending: int = 0
    outbox_waiting: int = 0
    outbox_sent: int = 0
    outbox_dead: int = 0
    taken_at: datetime = Field(default_factory=utcnow)
