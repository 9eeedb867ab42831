"""Publicity (公示) of a closed survey run and the objections residents raise in its window.

One ``publicity`` row per run (unique ``run_id``: a second publication of the
same run collides), holding the figures as published, so that what residents
read and what the street office files stay the same whatever happens later.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from models.base import json_column, utcnow


class Publicity(SQLModel, table=True):
    """A run's published result and its objection window (``objection_ends_at``)."""

    __tablename__ = "publicity"

    id: Optional[int] = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="survey_run.id", unique=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    published_at: datetime = Field(default_factory=utcnow)
    objection_ends_at: datetime = Field(index=True)
    figures: dict[str, Any] = Field(default_factory=dict, sa_column=json_column(nullable=False))
    notified: int = 0  # residents told of the publication
    ended_at: Optional[datetime] = None  # the final notice was queued (once)
    final_notified: int = 0


class Objection(SQLModel, table=True):
    """A resident's objection to a published result, and the worker's answer."""

    __tablename__ = "objection"
    __table_args__ = (Index("ix_objection_publicity_answered", "publicity_id", "answered_at"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    publicity_id: int = Field(foreign_key="publicity.id")
    community_id: int = Field(foreign_key="community.id", index=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    household_id: int = Field(foreign_key="household.id")
    channel: str = Field(default="wechat", max_length=8)  # wechat | h5
    text: str = Field(max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
    answer: Optional[str] = Field(default=None, max_length=1000)
    answered_at: Optional[datetime] = None
    answered_by: Optional[str] = Field(default=None, max_length=64)
