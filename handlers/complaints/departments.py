"""Departments as data an admin keeps: create, edit, retire, describe.

The console, the command line and the demo all go through these functions, so
the same checks hold everywhere: known category codes, existing communities
and staff accounts, a unique name, and no retiring while complaints are open.
Services flush; the caller commits (and writes the audit row).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, func, select

from handlers.complaints.categories import all_categories
from handlers.complaints.states import OPEN_STATES
from models import Community, Complaint, Department, DepartmentCommunity, DepartmentSupervisor, StaffUser

_PHONE = re.compile(r"^[0-9+\-() 转]{3,32}$")


class DepartmentError(ValueError):
    """The department cannot be saved or retired as asked (message in Chinese)."""


@dataclass
class DepartmentSpec:
    """What an admin sets: categories by code (or Chinese name), communities by name, supervisors by username."""

    name: str
    categories: list[str] = field(default_factory=list)
    communities: list[str] = field(default_factory=list)  # none: every community
    supervisors: list[str] = field(default_factory=list)
    phone: str = ""
    phone_public: bool = False
    hours: str = ""


def create_department(spec: DepartmentSpec, *, session: Session, settings: dict) -> Department:
    """A new department from ``spec``; raises DepartmentError and writes nothing when something is wrong."""
    department = Department(name="")
    _apply(department, spec, settings, session=session)
    return department


def update_department(department: Department, spec: DepartmentSpec, *,
                      session: Session, settings: dict) -> Department:
    """Replace what the department receives and who supervises it."""
    if department.retired_at is not None:
        raise DepartmentError(f"部门“{department.name}”已撤销，不能修改")
    _apply(department, spec, settings, session=session)
    return department


def retire_department(department: Department, *, session: Session, now: datetime) -> None:
    """Retire (kept for history, receives nothing new); refused while complaints assigned to it are open."""
    if department.retired_at is not None:
        return
    open_count = session.exec(select(func.count()).select_from(Complaint).where(
        Complaint.department_id == department.id, Complaint.state.in_(OPEN_STATES))).one()
    if open_count:
        raise DepartmentError(f"部门“{department.name}”还有 {open_count} 件未办结的诉求，"
                              "请先把它们改派给其他部门，再撤销。")
    department.retired_at = now
    session.add(department)
    session.flush()


def restore_department(department: Department, *, session: Session) -> None:
    """Take a retired department back into service."""
    department.retired_at = None
    session.add(department)
    session.flush()


def find(name: str, *, session: Session) -> Department | None:
    return session.exec(select(Department).where(Department.name == name.strip())).first()


def category_codes(values: list[str], settings: dict) -> list[str]:
    """Codes for codes or Chinese names (``water``, ``供水排水``); DepartmentError naming the unknown ones."""
    known = all_categories(settings)
    codes, unknown = [], []
    for value in (v.strip() for v in values if v.strip()):
        found = next((c for c in known if value in (c.code, c.name, c.name.split("（")[0])), None)
        (codes.append(found.code) if found else unknown.append(value))
    if unknown:
        raise DepartmentError("未知的诉求类别：" + "、".join(unknown) + "（可用："
                              + "、".join(f"{c.code} {c.name.split('（')[0]}" for c in known) + "）")
    return list(dict.fromkeys(codes))


def describe(department: Department, *, session: Session) -> dict:
    """The department as operators and pages read it (JSON-ready)."""
    communities = session.exec(select(Community.name).join(
        DepartmentCommunity, DepartmentCommunity.community_id == Community.id)
        .where(DepartmentCommunity.department_id == department.id).order_by(Community.name)).all()
    supervisors = session.exec(select(StaffUser.username).join(
        DepartmentSupervisor, DepartmentSupervisor.staff_id == StaffUser.id)
        .where(DepartmentSupervisor.department_id == department.id).order_by(StaffUser.username)).all()
    staff = session.exec(select(StaffUser.username).where(StaffUser.department_id == department.id,
                                                          StaffUser.active == True)  # noqa: E712
                         .order_by(StaffUser.username)).all()
    return {"id": department.id, "name": department.name, "categories": list(department.categories or []),
            "communities": list(communities), "staff": list(staff), "supervisors": list(supervisors),
            "phone": department.phone, "phone_public": department.phone_public, "hours": department.hours,
            "retired": department.retired_at is not None}


def describe_all(*, session: Session, include_retired: bool = False) -> list[dict]:
    query = select(Department).order_by(Department.id)
    if not include_retired:
        query = query.where(Department.retired_at.is_(None))
    return [describe(d, session=session) for d in session.exec(query).all()]


def spec_of(department: Department, *, session: Session) -> DepartmentSpec:
    """The spec that would save the department unchanged (the edit form starts from it)."""
    found = describe(department, session=session)
    return DepartmentSpec(name=department.name, categories=found["categories"], communities=found["communities"],
                          supervisors=found["supervisors"], phone=department.phone,
                          phone_public=department.phone_public, hours=department.hours)


def as_audit(spec: DepartmentSpec) -> dict:
    return asdict(spec)


def _apply(department: Department, spec: DepartmentSpec, settings: dict, *, session: Session) -> None:
    name = spec.name.strip()
    if not name or len(name) > 64:
        raise DepartmentError("请填写部门名称（不超过64个字）")
    same = find(name, session=session)
    if same is not None and same.id != department.id:
        raise DepartmentError(f"部门名称“{name}”已存在" + ("（已撤销的部门）" if same.retired_at else ""))
    codes = category_codes(spec.categories, settings)
    communities = _communities(spec.communities, session=session)
    supervisors = _supervisors(spec.supervisors, session=session)
    phone = spec.phone.strip()
    if phone and not _PHONE.match(phone):
        raise DepartmentError("联系电话格式不对（数字、短横线、括号，3–32位）")
    department.name, department.categories, department.phone = name, codes, phone
    department.phone_public, department.hours = bool(spec.phone_public and phone), spec.hours.strip()[:100]
    session.add(department)
    session.flush()
    _relink(department.id, DepartmentCommunity, "community_id", [c.id for c in communities], session=session)
    _relink(department.id, DepartmentSupervisor, "staff_id", [s.id for s in supervisors], session=session)


def _communities(names: list[str], *, session: Session) -> list[Community]:
    wanted = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    found = {c.name: c for c in session.exec(select(Community).where(Community.name.in_(wanted or [""])))}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise DepartmentError("小区不存在：" + "、".join(missing))
    return [found[n] for n in wanted]


def _supervisors(usernames: list[str], *, session: Session) -> list[StaffUser]:
    wanted = list(dict.fromkeys(u.strip() for u in usernames if u.strip()))
    found = {s.username: s for s in session.exec(select(StaffUser).where(StaffUser.username.in_(wanted or [""]),
                                                                         StaffUser.active == True))}  # noqa: E712
    missing = [u for u in wanted if u not in found]
    if missing:
        raise DepartmentError("负责人账号不存在或已停用：" + "、".join(missing))
    return [found[u] for u in wanted]


def _relink(department_id: int, table, column: str, ids: list[int], *, session: Session) -> None:
    session.execute(delete(table).where(table.department_id == department_id))
    session.add_all(table(department_id=department_id, **{column: i}) for i in ids)
    session.flush()
