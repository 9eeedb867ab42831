"""Communities and the residents who follow the official account."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from models.base import utcnow


class Community(SQLModel, table=True):
    """A residential community (小区) under renovation."""

    __tablename__ = "community"

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    code: Optional[str] = Field(default=None, max_length=32, unique=True)
    district: str = Field(default="", max_length=100)  # street / district (街道/区)
    hotline: str = Field(default="", max_length=32)


class Resident(SQLModel, table=True):
    """A WeChat follower; personal fields are optional and masked when shown."""

    __tablename__ = "resident"

    id: Optional[int] = Field(default=None, primary_key=True)
    openid: str = Field(max_length=64, unique=True)
    name: Optional[str] = Field(default=None, max_length=64)
    phone: Optional[str] = Field(default=None, max_length=32)
    active: bool = True
    community_id: Optional[int] = Field(default=None, foreign_key="community.id")
    subscribed_at: Optional[datetime] = None
    unsubscribed_at: Optional[datetime] = None
    last_interaction_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow)
