"""Time limits: the clocks a step starts (``CLOCKS``), and how far each runs.

Which clock a step starts is in the tables: the state entered names it
(states.py), a transition may name another (lifecycle.TRANSITIONS).

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
from typing import Callable

from handlers.complaints.env import Env
from handlers.complaints.states import OPEN_STATES
from models import Complaint

# A clock: the new due time once a step is done (None: no time limit runs).
Clock = Callable[[Complaint, Env, int], "datetime | None"]
CLOCKS: dict[str, Clock] = {}
KEEP = "keep"  # the running time limit goes on untouched (asking for, or being denied, an extension)


def clock(name: str):
    """Register a clock under ``name`` (the name states and transitions give)."""
    def register(fn: Clock) -> Clock:
        CLOCKS[name] = fn
        return fn
    return register


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


@clock("review")
def _review(complaint: Complaint, env: Env, extra_workdays: int) -> datetime:
    return _step_due(complaint, env, env.now, env.cfg.review_workdays, env.cfg.urgent_review_hours)


@clock("sign")
def _sign(complaint: Complaint, env: Env, extra_workdays: int) -> datetime:
    return _step_due(complaint, env, env.now, env.cfg.sign_workdays, env.cfg.urgent_sign_hours)


@clock("handling")
def _handling(complaint: Complaint, env: Env, extra_workdays: int) -> datetime:
    return handling_due(complaint, env, env.now)


@clock("extend")
def _extend(complaint: Complaint, env: Env, extra_workdays: int) -> datetime:
    return _step_due(complaint, env, max(complaint.due_at or env.now, env.now), extra_workdays, 24 * extra_workdays)


@clock(KEEP)
def _keep(complaint: Complaint, env: Env, extra_workdays: int) -> datetime | None:
    return complaint.due_at


@clock("pause")  # need_info: the resident owes the next step; review starts afresh on their answer
@clock("stop")  # resolved, ended, or a draft
def _none(complaint: Complaint, env: Env, extra_workdays: int) -> None:
    return None


def restart_clock(complaint: Complaint, name: str, env: Env, extra_workdays: int = 0) -> None:
    """Stop the running time limit (counting it if missed) and start clock ``name`` (``CLOCKS``)."""
    if name == KEEP:
        return
    new_due = CLOCKS[name](complaint, env, extra_workdays)
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
