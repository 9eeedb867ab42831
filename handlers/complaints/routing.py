"""Category → department: the default route (``Department.categories``); staff may override."""
from __future__ import annotations

from sqlmodel import Session, select

from models import Department


def department_for(session: Session, category: str | None) -> Department | None:
    """The first department (by id) that lists the category, if any."""
    if not category:
        return None
    for department in session.exec(select(Department).order_by(Department.id)).all():
        if category in (department.categories or []):
            return department
    return None


def get_department(session: Session, department_id: int | None) -> Department | None:
    return session.get(Department, department_id) if department_id else None
