"""The deadlines job's work: warn, escalate, and close what waited too long.

Warnings and escalations are events and flags (``warned_at``, ``escalated_at``),
not states; closing goes through lifecycle.transition like everything else.
"""
from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from handlers.complaints import deadlines, lifecycle, notices
from handlers.complaints.categories import short_name
from handlers.complaints.env import SYSTEM, Env
from handlers.complaints.states import OPEN_STATES
from models import Complaint, ComplaintEvent, Department, DepartmentSupervisor, StaffUser

BATCH = 500


def run(*, env: Env) -> dict[str, int]:
    return {"warned": warn(env=env), "escalated": escalate(env=env), "closed": close_waiting(env=env)}


def warn(*, env: Env) -> int:
    rows = env.session.exec(select(Complaint).where(
        Complaint.state.in_(OPEN_STATES), Complaint.due_at.is_not(None), Complaint.warned_at.is_(None),
        Complaint.due_at > env.now).order_by(Complaint.due_at).limit(BATCH)).all()
    count = 0
    for c in rows:
        at = deadlines.warn_at(c, env.cfg.warn_fraction)
        if at is not None and at <= env.now:
            c.warned_at = env.now
            _event(c, "deadline_warning", env, f"即将超时（时限 {notices.local_time(c.due_at)}）")
            count += 1
    return count


def escalate(*, env: Env) -> int:
    rows = env.session.exec(select(Complaint).where(
        Complaint.state.in_(OPEN_STATES), Complaint.due_at < env.now,
        Complaint.escalated_at.is_(None)).order_by(Complaint.due_at).limit(BATCH)).all()
    for c in rows:
        c.escalated_at = c.warned_at = c.escalated_at or env.now
        department = env.session.get(Department, c.department_id) if c.department_id else None
        supervisors = supervisors_of(department.id, session=env.session) if department else []
        names = "、".join(s.display_name or s.username for s in supervisors)
        event = _event(c, "escalated", env, "已超时，督办" + (f"：{names}" if names else "（未设负责人）"),
                       {"supervisor_ids": [s.id for s in supervisors]})
        for n, supervisor in enumerate(supervisors):
            notices.tell_staff(supervisor.openid, "wechat/complaint_escalated.txt",
                               f"complaint:{c.id}:{event.id}" + (f":s{n}" if n else ""), env, c=c,
                               category=short_name(env.settings, c.category), due=notices.local_time(c.due_at),
                               department=department.name)
    return len(rows)


def supervisors_of(department_id: int, *, session) -> list[StaffUser]:
    """The department's active supervisors (escalations go to each of them)."""
    link = DepartmentSupervisor
    return list(session.exec(select(StaffUser).join(link, link.staff_id == StaffUser.id)
                             .where(link.department_id == department_id,
                                    StaffUser.active == True).order_by(StaffUser.id)).all())  # noqa: E712


def close_waiting(*, env: Env) -> int:
    cfg = env.cfg
    silent = env.session.exec(select(Complaint).where(
        Complaint.state == "need_info", Complaint.updated_at < env.now - timedelta(days=cfg.need_info_days))).all()
    for c in silent:
        lifecycle.transition(c, "close", env=env, actor=SYSTEM, reason="no_response",
                             note=f"{cfg.need_info_days}天未收到补充信息")
    unrated = env.session.exec(select(Complaint).where(
        Complaint.state == "resolved", Complaint.resolved_at < env.now - timedelta(days=cfg.rating_days))).all()
    for c in unrated:
        lifecycle.transition(c, "close", env=env, actor=SYSTEM, reason="fixed", note="评价期满，自动办结")
    return len(silent) + len(unrated)


def _event(c: Complaint, action: str, env: Env, note: str, data: dict | None = None) -> ComplaintEvent:
    event = ComplaintEvent(complaint_id=c.id, at=env.now, actor=SYSTEM.name, action=action,
                           from_state=c.state, to_state=c.state, note=note, data=data or {})
    env.session.add_all([c, event])
    env.session.flush()
    return event
