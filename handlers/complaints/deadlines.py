"""Time limits: which clock starts on which step, and how far it runs.

Per DOMAIN.md: review within 1 working day; sign or return within 1 working
day; handling per deadline class (urgent 24 h, general 7 and complex 15
working days); need_info pauses the clock.  Warned at ``warn_fraction`` of the
time, escalated to the department's supervisor once passed (see sweep.py).

Urgent categories (a burst pipe, a gas smell) do not wait for Monday: every
step of theirs runs on calendar hours (``urgent_review_hours``,
``urgent_sign_hours``; an extension of n days is n x 24 h), the others on the
working-day calendar.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from handlers.complaints.env import Env
from models import Complaint

REVIEW_ACTIONS = {"submit", "add_info", "accept", "return", "reopen"}
KEEP_ACTIONS = {"request_extension", "deny_extension"}  # the handling clock keeps running
OPEN_STATES = ("submitted", "accepted", "dispatched", "returned", "in_progress", "extension_requested", "reopened")


CALENDAR_HOUR_CLASSES = frozenset({"urgent"})  # deadline classes whose clock ignores weekends and holidays


def on_calendar_hours(complaint: Complaint) -> bool:
    """Whether the complaint's time limits run on calendar hours rather than working days."""
    return complaint.deadline_class in CALENDAR_HOUR_CLASSES


def handling_due(complaint: Complaint, env: Env, start: datetime) -> datetime:
    cfg = env.cfg
    if on_calendar_hours(complaint):
        return start + timedelta(hours=cfg.urgent_hours)
    days = cfg.complex_workdays if complaint.deadline_class == "complex" else cfg.general_workdays
    return env.calendar.add_workdays(start, days)


def _step_due(complaint: Complaint, env: Env, start: datetime, workdays: int, urgent_hours: int) -> datetime:
    """``workdays`` working days after ``start``, or ``urgent_hours`` hours for an urgent complaint."""
    if on_calendar_hours(complaint):
        return start + timedelta(hours=urgent_hours)
    return env.calendar.add_workdays(start, workdays)


def due_after(action: str, complaint: Complaint, env: Env, extra_workdays: int = 0) -> datetime | None:
    """The new due time once ``action`` is done; ``complaint.due_at`` when it keeps running."""
    now, cfg = env.now, env.cfg
    if action in REVIEW_ACTIONS or complaint.state == "reopened":
        return _step_due(complaint, env, now, cfg.review_workdays, cfg.urgent_review_hours)
    if action == "dispatch":
        return _step_due(complaint, env, now, cfg.sign_workdays, cfg.urgent_sign_hours)
    if action == "sign":
        return handling_due(complaint, env, now)
    if action == "grant_extension":
        start = max(complaint.due_at or now, now)
        return _step_due(complaint, env, start, extra_workdays, 24 * extra_workdays)
    if action in KEEP_ACTIONS:
        return complaint.due_at
    return None  # paused (need_info) or finished


def restart_clock(complaint: Complaint, action: str, env: Env, extra_workdays: int = 0) -> None:
    """Stop the running time limit (counting it if missed) and start the next one."""
    new_due = due_after(action, complaint, env, extra_workdays)
    if new_due == complaint.due_at and action in KEEP_ACTIONS:
        return
    if complaint.due_at is not None and complaint.due_at < env.now:
        complaint.overdue_stages += 1
    complaint.due_at = new_due
    complaint.stage_started_at = env.now if new_due is not None else None
    complaint.warned_at = complaint.escalated_at = None


def is_overdue(complaint: Complaint, now: datetime) -> bool:
    return complaint.due_at is not None and complaint.state in OPEN_STATES and complaint.due_at < now


def warn_at(complaint: Complaint, fraction: float) -> datetime | None:
    if complaint.due_at is None or complaint.stage_started_at is None:
        return None
    return complaint.stage_started_at + (complaint.due_at - complaint.stage_started_at) * fraction
