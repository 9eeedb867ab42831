"""What crosses the WeChat boundary: inbound messages, the outbox, chat state."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from models.base import json_column, utcnow


class InboundMessage(SQLModel, table=True):
    """Every message or event WeChat delivered, recorded once.

    ``dedup_key`` is MsgId for messages and FromUserName:CreateTime:Event for
    events; the unique constraint is what makes a retry harmless.  ``reply``
    keeps the passive reply so that a retry is answered identically.
    """

    __tablename__ = "inbound_message"
    # The backlog (status queued) is small: a partial index finds a resident's waiting messages.
    __table_args__ = (Index("ix_inbound_message_queued", "openid", sqlite_where=text("status = 'queued'"),
                            postgresql_where=text("status = 'queued'")),)

    id: Optional[int] = Field(default=None, primary_key=True)
    dedup_key: str = Field(max_length=128, unique=True)
    openid: str = Field(max_length=64, index=True)
    msg_type: str = Field(max_length=32)
    event: Optional[str] = Field(default=None, max_length=64)
    create_time: int
    received_at: datetime = Field(default_factory=utcnow, index=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=json_column(nullable=False))
    status: str = Field(default="done", max_length=16)  # done | failed | queued (answered later)
    reply: Optional[dict[str, Any]] = Field(default=None, sa_column=json_column(nullable=True))
    handler: Optional[str] = Field(default=None, max_length=64)


class OutboundMessage(SQLModel, table=True):
    """The outbox: a message for a resident, written in the transaction of its cause.

    ``dedup_key`` (optional) makes queueing idempotent, e.g. ``complaint:42:dispatched``.
    ``payload`` holds what to send: {"text": ...} or {"news": [...]} plus an
    optional {"template": {"kind": ..., "data": {...}}} fallback.
    """

    __tablename__ = "outbound_message"

    id: Optional[int] = Field(default=None, primary_key=True)
    openid: str = Field(max_length=64, index=True)
    kind: str = Field(default="reply", max_length=48)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=json_column(nullable=False))
    dedup_key: Optional[str] = Field(default=None, max_length=128, unique=True)
    status: str = Field(default="pending", max_length=16, index=True)  # pending|sending|sent|waiting|dead
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, index=True)
    channel: Optional[str] = Field(default=None, max_length=16)  # custom | template | subscribe
    last_error: Optional[str] = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: Optional[datetime] = None
    # Which delivery run holds a row in ``sending`` and since when (a crashed
    # run's claims are taken back after outbox.claim_timeout_s).
    claimed_by: Optional[str] = Field(default=None, max_length=40)
    claimed_at: Optional[datetime] = None


class Conversation(SQLModel, table=True):
    """Where a resident is in a multi-step chat (binding, survey, complaint intake)."""

    __tablename__ = "conversation"

    openid: str = Field(primary_key=True, max_length=64)
    flow: str = Field(max_length=32)
    state: dict[str, Any] = Field(default_factory=dict, sa_column=json_column(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)
    expires_at: Optional[datetime] = None
