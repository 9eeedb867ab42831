"""To-do sections for complaints, binding requests, unanswered questions and objections (one query each)."""
from __future__ import annotations

from datetime import timedelta

from flask import url_for
from sqlalchemy import case, func
from sqlmodel import select

from bot.console.todo import Entry, Section, Viewer, scope, section
from handlers.complaints.states import OPEN_STATES
from models import BindingRequest, Complaint, Household, UnansweredQuestion
from models.publicity import Objection, Publicity

NEAR = timedelta(hours=24)  # "near the deadline": due within a day


def _flag(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


@section
def complaints(viewer: Viewer) -> Section:
    """To review (workers) or to sign (departments); overdue and due within a day (everyone, in scope)."""
    first = "dispatched" if viewer.role == "department" else "submitted"
    is_open = Complaint.state.in_(OPEN_STATES)
    query = select(_flag(Complaint.state == first), _flag(is_open & (Complaint.due_at < viewer.now)),
                   _flag(is_open & (Complaint.due_at >= viewer.now) & (Complaint.due_at < viewer.now + NEAR)))
    query = query.where(Complaint.state != "draft")
    if viewer.role == "department":
        query = query.where(Complaint.department_id == (viewer.department_id or -1))
    else:
        query = scope(query, Complaint.community_id, viewer)
    waiting, overdue, near = viewer.session.exec(query).one()
    queue = "console_complaints.queue"
    label = "待签收的诉求" if first == "dispatched" else "待审核的诉求"
    entries = [Entry(label, url_for(queue, state=first), int(waiting)),
               Entry("已超期的诉求", url_for(queue, overdue=1), int(overdue)),
               Entry("24小时内到期的诉求", url_for(queue, state="open"), int(near))]
    return Section("complaints", "诉求", "没有待办的诉求。", [e for e in entries if e.count])


@section
def bindings(viewer: Viewer) -> Section | None:
    if viewer.role == "department":
        return None
    query = scope(select(func.count(BindingRequest.id)).join(Household, Household.id == BindingRequest.household_id)
                  .where(BindingRequest.status == "pending"), Household.community_id, viewer)
    n = viewer.session.exec(query).one()
    entries = [Entry("待审核的绑定申请", url_for("console.binding_requests"), n)] if n else []
    return Section("bindings", "绑定申请", "没有待审核的绑定申请。", entries)


@section
def unanswered(viewer: Viewer) -> Section | None:
    if viewer.role == "department":
        return None
    query = scope(select(func.count(UnansweredQuestion.id)).where(UnansweredQuestion.status == "open"),
                  UnansweredQuestion.community_id, viewer)
    n = viewer.session.exec(query).one()
    entries = [Entry("居民问了还没有答案的问题", url_for("console_faq.unanswered"), n)] if n else []
    return Section("unanswered", "未答问题", "没有未答的问题。", entries)


@section
def objections(viewer: Viewer) -> Section | None:
    """Objections waiting for an answer, per publication."""
    if viewer.role == "department":
        return None
    query = scope(select(Publicity.id, Publicity.figures, func.count(Objection.id))
                  .join(Objection, Objection.publicity_id == Publicity.id)
                  .where(Objection.answered_at.is_(None)), Publicity.community_id, viewer)
    rows = viewer.session.exec(query.group_by(Publicity.id).order_by(Publicity.id)).all()
    entries = [Entry(f"{figures['summary']['community']} {figures['summary']['title']}：待答复的异议",
                     url_for("console.publicity_detail", publicity_id=pid), n) for pid, figures, n in rows]
    return Section("objections", "公示异议", "没有待答复的异议。", entries)
