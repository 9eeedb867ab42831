"""Category → department: the default route (``Department.categories``); staff may override.

A department lists categories by code (``water``) or by their short Chinese
name (``环境卫生``), whichever its admin typed.
"""
from __future__ import annotations

from sqlmodel import Session, select

from handlers.complaints.categories import short_name
from models import Department


def department_for(session: Session, category: str | None, settings: dict | None = None) -> Department | None:
    """The first department (by id) that lists the category, if any."""
    if not category:
        return None
    keys = {category, short_name(settings or {}, category)}
    for department in session.exec(select(Department).order_by(Department.id)).all():
        if keys & set(department.categories or []):
            return department
    return None


def get_department(session: Session, department_id: int | None) -> Department | None:
    return session.get(Department, department_id) if department_id else None
