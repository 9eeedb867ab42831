"""Complaint lists for staff, the CLI and Open311: filters in one place.

``Scope`` says what a viewer may see (None = everything); ``Filters`` what
they asked for.  Both become WHERE clauses on an indexed query.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from sqlalchemy import func
from sqlmodel import Session, select

from handlers.complaints.states import OPEN_STATES
from models import Complaint


@dataclass(frozen=True)
class Scope:
    community_ids: Optional[frozenset[int]] = None  # None: all communities
    department_id: Optional[int] = None  # department staff: only what is dispatched to them

    def allows(self, complaint: Complaint) -> bool:
        if complaint.state == "draft":
            return False
        if self.department_id is not None:
            return complaint.department_id == self.department_id
        return self.community_ids is None or complaint.community_id in self.community_ids


@dataclass(frozen=True)
class Filters:
    state: str = ""
    category: str = ""
    community_id: Optional[int] = None
    department_id: Optional[int] = None
    overdue: bool = False
    ticket: str = ""


def scoped(query, scope: Scope):
    query = query.where(Complaint.state != "draft")
    if scope.department_id is not None:
        return query.where(Complaint.department_id == scope.department_id)
    if scope.community_ids is not None:
        return query.where(Complaint.community_id.in_(scope.community_ids or {-1}))
    return query


def filtered(query, filters: Filters, now: datetime):
    if filters.state == "open":
        query = query.where(Complaint.state.in_(OPEN_STATES))
    elif filters.state:
        query = query.where(Complaint.state == filters.state)
    if filters.category:
        query = query.where(Complaint.category == filters.category)
    if filters.community_id:
        query = query.where(Complaint.community_id == filters.community_id)
    if filters.department_id:
        query = query.where(Complaint.department_id == filters.department_id)
    if filters.overdue:
        query = query.where(Complaint.state.in_(OPEN_STATES), Complaint.due_at < now)
    if filters.ticket:
        query = query.where(Complaint.ticket == filters.ticket.strip().upper())
    return query


def page(scope: Scope, filters: Filters, now: datetime, *, session: Session, offset: int = 0,
         limit: int = 50) -> tuple[list[Complaint], int]:
    """One page, newest first, and the total count."""
    base = filtered(scoped(select(Complaint), scope), filters, now)
    rows = session.exec(base.order_by(Complaint.created_at.desc(), Complaint.id.desc())
                        .offset(offset).limit(limit)).all()
    total = session.exec(filtered(scoped(select(func.count()).select_from(Complaint), scope), filters, now)).one()
    return list(rows), total


def all_matching(scope: Scope, filters: Filters, now: datetime, *, session: Session, limit: int = 50_000):
    base = filtered(scoped(select(Complaint), scope), filters, now)
    return session.exec(base.order_by(Complaint.created_at.desc()).limit(limit)).all()
