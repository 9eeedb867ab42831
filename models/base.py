"""Shared helpers for tables: time and JSON columns.

Convention: every datetime is timezone-aware UTC (SQLModel's column type
refuses naive values and returns UTC even from SQLite); convert to
Asia/Shanghai only when showing it to a person.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, Column


def utcnow() -> datetime:
    """Now, as aware UTC (the storage convention)."""
    return datetime.now(timezone.utc)


def json_column(**kwargs: Any) -> Column:
    """A JSON column (JSON on SQLite, JSON on PostgreSQL)."""
    return Column(JSON, **kwargs)
