"""Notices (公告/通知) to a community, one building or one stairwell.

A notice is written (``draft``), optionally ``scheduled`` for ``send_at``, then fanned
out once: one outbox row per bound resident in scope, with the dedup key
``notice:<id>:<openid>`` (unique in ``outbound_message``), so a retry, a restart or a
second run of the job never queues a second copy.  Delivery figures are read from
those outbox rows; ``recipients`` is the count queued at fan-out.  ``source`` names
what caused an automatic notice (``survey_run:12``) and is unique: one announcement
per survey run.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from models.base import utcnow

NOTICE_KINDS = ("停水", "停电", "停气", "施工", "道路", "会议", "调查", "其他")
NOTICE_STATUSES = ("draft", "scheduled", "sending", "sent")
DEDUP_PREFIX = "notice"


class Notice(SQLModel, table=True):
    """One notice; scope: the community (no building), a building, or a building's stairwell (unit)."""

    __tablename__ = "notice"

    id: Optional[int] = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    building_id: Optional[int] = Field(default=None, foreign_key="building.id", index=True)
    unit: str = Field(default="", max_length=16)  # 单元, only with a building
    title: str = Field(max_length=100)
    body: str = Field(max_length=2000)
    kind: str = Field(default="其他", max_length=8)  # one of NOTICE_KINDS
    status: str = Field(default="draft", max_length=16, index=True)  # one of NOTICE_STATUSES
    send_at: Optional[datetime] = Field(default=None, index=True)
    sent_at: Optional[datetime] = None
    recipients: int = 0  # outbox rows queued at fan-out
    source: Optional[str] = Field(default=None, max_length=64, unique=True)
    created_by: str = Field(default="system", max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


def dedup_key(notice_id: int, openid: str) -> str:
    """The outbox key of one resident's copy of a notice."""
    return f"{DEDUP_PREFIX}:{notice_id}:{openid}"


def dedup_pattern(notice_id: int) -> str:
    """LIKE pattern matching every copy of a notice."""
    return f"{DEDUP_PREFIX}:{notice_id}:%"
