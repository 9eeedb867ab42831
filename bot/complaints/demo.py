"""Demo data for complaints: the holiday calendar, a department for the rest, three sample complaints.

Loading twice changes nothing (looked up by name and by description).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import func
from sqlmodel import Session, select

from bot import runtime
from bot.demo import ensure_community
from handlers.complaints import calendar, departments, lifecycle
from handlers.complaints.departments import DepartmentSpec
from handlers.complaints.env import SYSTEM, Actor, Env
from models import Complaint, WorkCalendarDay

DEPARTMENT = DepartmentSpec("街道城建科", ["safety", "building", "construction", "other"], phone="0311-86009876",
                            hours="周一至周五 8:30–17:30")
SAMPLES = [("environment", "2号楼楼道堆满纸箱，影响通行", []),
           ("water", "3号楼东侧下水道堵了，污水漫到路上", ["dispatch"]),
           ("facility", "小区北门路灯坏了一个多星期", ["dispatch", "sign"])]


def load(*, session: Session) -> list[str]:
    calendar.seed(session=session)
    if departments.find(DEPARTMENT.name, session=session) is None:
        departments.create_department(DEPARTMENT, settings=current_app.config["LINLI"], session=session)
    community = ensure_community(session=session)
    now = datetime.now(timezone.utc)
    env = Env(session=session, settings=current_app.config["LINLI"], now=now,
              render=runtime.render)
    for n, (category, text, steps) in enumerate(SAMPLES):
        if session.exec(select(Complaint).where(Complaint.description == text)).first() is not None:
            continue
        c = Complaint(community_id=community.id, category=category, description=text, state="draft",
                      latitude=38.0420 + n * 0.0004, longitude=114.5100, location_label=f"{community.name}{n + 2}号楼",
                      location_source="staff", entered_by="demo", created_at=now - timedelta(hours=30 - n),
                      updated_at=now)
        session.add(c)
        session.flush()
        lifecycle.transition(c, "submit", env=env, actor=SYSTEM)
        for action in steps:
            department = c.department_id
            actor = SYSTEM if action == "dispatch" else Actor("demo", "department", department)
            lifecycle.transition(c, action, env=env, actor=actor)
    return [summary(session=session)]


def summary(*, session: Session) -> str:
    """What is there (not what this run added: a second start adds nothing and would read “0 天”)."""
    days = session.exec(select(func.count()).select_from(WorkCalendarDay)).one()
    samples = session.exec(select(func.count()).select_from(Complaint)
                           .where(Complaint.description.in_([text for _, text, _ in SAMPLES]))).one()
    return f"随手拍：工作日历含 {days} 个节假日和调休日，示例诉求 {samples} 件，见控制台“随手拍”"
