"""Photo complaints (随手拍): the complaint, its photos, its timeline, tickets, calendar.

The life of a complaint (states, who moves them) lives in
``handlers/complaints/lifecycle.py``; these are only the tables.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import json_column, utcnow


class Complaint(SQLModel, table=True):
    """One complaint.  ``state`` is the lifecycle state; ``hidden`` is a moderation flag."""

    __tablename__ = "complaint"
    __table_args__ = (
        Index("ix_complaint_queue", "state", "created_at"),
        Index("ix_complaint_community_queue", "community_id", "state", "created_at"),
        Index("ix_complaint_community_category", "community_id", "category", "created_at"),
        Index("ix_complaint_department_queue", "department_id", "state", "created_at"),
        Index("ix_complaint_created", "created_at"),
        Index("ix_complaint_category", "category", "created_at"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    ticket: Optional[str] = Field(default=None, max_length=32, unique=True)  # SP20261121-0042
    state: str = Field(default="draft", max_length=24)
    resident_id: Optional[int] = Field(default=None, foreign_key="resident.id", index=True)
    openid: Optional[str] = Field(default=None, max_length=64)  # where notices go
    entered_by: Optional[str] = Field(default=None, max_length=64)  # staff who entered it on a resident's behalf
    community_id: Optional[int] = Field(default=None, foreign_key="community.id")
    category: Optional[str] = Field(default=None, max_length=32)
    deadline_class: str = Field(default="general", max_length=16)  # urgent | general | complex
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    latitude: Optional[float] = None
    longitude: Optional[float] = None
    location_label: str = Field(default="", max_length=200)
    location_source: Optional[str] = Field(default=None, max_length=16)  # message | photo | staff
    department_id: Optional[int] = Field(default=None, foreign_key="department.id")
    routed_by: Optional[str] = Field(default=None, max_length=16)  # category | manual
    return_count: int = 0
    duplicate_of_id: Optional[int] = Field(default=None, foreign_key="complaint.id", index=True)
    closure_reason: Optional[str] = Field(default=None, max_length=24)
    closure_note: str = Field(default="", max_length=500)
    stage_started_at: Optional[datetime] = None  # when the running time limit started
    due_at: Optional[datetime] = Field(default=None, index=True)  # None while paused or finished
    warned_at: Optional[datetime] = None
    escalated_at: Optional[datetime] = None
    overdue_stages: int = 0  # how many time limits were missed over the complaint's life
    rating_result: Optional[str] = Field(default=None, max_length=16)  # solved | partly | not_solved
    rating_score: Optional[int] = None
    rated_at: Optional[datetime] = None
    hidden: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    submitted_at: Optional[datetime] = None
    resolved_at: Optional[datetime] = None
    resolved_on_time: Optional[bool] = None
    closed_at: Optional[datetime] = None


class ComplaintPhoto(SQLModel, table=True):
    """A photo of a complaint: before (from the resident) or after (from the department).

    WeChat photos arrive as a MediaId and are fetched by the clock
    (``status`` pending → stored, or failed attempts until expired).
    """

    __tablename__ = "complaint_photo"
    __table_args__ = (UniqueConstraint("complaint_id", "media_id"),
                      Index("ix_complaint_photo_fetch", "status", "next_attempt_at"))

    id: Optional[int] = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    kind: str = Field(default="before", max_length=8)  # before | after
    media_id: Optional[str] = Field(default=None, max_length=128)
    status: str = Field(default="pending", max_length=12)  # pending | stored | expired | invalid
    attempts: int = 0
    next_attempt_at: Optional[datetime] = None
    last_error: Optional[str] = Field(default=None, max_length=200)
    storage_key: Optional[str] = Field(default=None, max_length=200)
    thumb_key: Optional[str] = Field(default=None, max_length=200)
    content_type: Optional[str] = Field(default=None, max_length=32)
    width: Optional[int] = None
    height: Optional[int] = None
    redacted: bool = False  # moderation flag: never shown again
    received_at: datetime = Field(default_factory=utcnow)
    stored_at: Optional[datetime] = None


class ComplaintEvent(SQLModel, table=True):
    """The timeline: who did what, when, with a note.  Never updated."""

    __tablename__ = "complaint_event"

    id: Optional[int] = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    at: datetime = Field(default_factory=utcnow)
    actor: str = Field(max_length=64)  # staff username, "resident:<id>" or "system"
    action: str = Field(max_length=32)
    from_state: Optional[str] = Field(default=None, max_length=24)
    to_state: Optional[str] = Field(default=None, max_length=24)
    note: str = Field(default="", max_length=1000)
    public: bool = False  # shown to the resident
    data: dict[str, Any] = Field(default_factory=dict, sa_column=json_column(nullable=False))


class ComplaintFollower(SQLModel, table=True):
    """A resident who follows a complaint (the reporter of a linked duplicate)."""

    __tablename__ = "complaint_follower"

    complaint_id: int = Field(foreign_key="complaint.id", primary_key=True)
    openid: str = Field(max_length=64, primary_key=True)
    via_complaint_id: Optional[int] = Field(default=None, foreign_key="complaint.id")


class TicketCounter(SQLModel, table=True):
    """The per-day sequence behind ticket numbers (row-locked by UPDATE)."""

    __tablename__ = "ticket_counter"

    day: str = Field(primary_key=True, max_length=8)  # 20261121, in Asia/Shanghai
    last: int = 0


class WorkCalendarDay(SQLModel, table=True):
    """An exception to Monday–Friday: a public holiday or a make-up workday (调休).

    Seeded from ``handlers/complaints/calendar_cn.toml``; editable afterwards.
    """

    __tablename__ = "work_calendar_day"

    day: date = Field(primary_key=True)
    workday: bool
    note: str = Field(default="", max_length=64)
