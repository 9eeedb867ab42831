"""Working days: Monday to Friday, minus public holidays, plus make-up workdays (调休).

Exceptions come from the ``work_calendar_day`` table (editable), seeded from
``calendar_cn.toml``.  Time limits counted in working days end at the same
clock time on the n-th working day after the start (Asia/Shanghai).
"""
from __future__ import annotations

import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from models import WorkCalendarDay
from models.localtime import local as to_local, zone

DATA_FILE = Path(__file__).with_name("calendar_cn.toml")


def load_file(path: str | Path | None = None) -> dict[date, bool]:
    """{day: is_workday} exceptions from a TOML data file."""
    with Path(path or DATA_FILE).open("rb") as fh:
        data = tomllib.load(fh)
    days: dict[date, bool] = {}
    for year in data.values():
        days.update({date.fromisoformat(d): False for d in year.get("holidays", [])})
        days.update({date.fromisoformat(d): True for d in year.get("workdays", [])})
    return days


def seed(path: str | Path | None = None, *, session: Session) -> int:
    """Insert the file's days the table does not have yet; returns how many."""
    known = set(session.exec(select(WorkCalendarDay.day)).all())
    added = 0
    for day, workday in sorted(load_file(path).items()):
        if day not in known:
            session.add(WorkCalendarDay(day=day, workday=workday, note="seed"))
            added += 1
    session.flush()
    return added


class WorkCalendar:
    """Answers "is this a working day" from a dict of exceptions."""

    def __init__(self, exceptions: dict[date, bool]):
        self.exceptions = exceptions

    @classmethod
    def from_session(cls, path: str | Path | None = None, *, session: Session) -> "WorkCalendar":
        exceptions = load_file(path)
        exceptions.update({row.day: row.workday for row in session.exec(select(WorkCalendarDay)).all()})
        return cls(exceptions)

    def is_workday(self, day: date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5

    def add_workdays(self, start: datetime, days: int) -> datetime:
        """``start`` plus ``days`` working days, same local clock time; a start on a
        day off counts from the next working day's beginning."""
        local = to_local(start)
        if not self.is_workday(local.date()):
            local = datetime.combine(self.next_workday(local.date()), datetime.min.time(), zone())
        day = local.date()
        for _ in range(days):
            day = self.next_workday(day)
        return datetime.combine(day, local.timetz()).astimezone(start.tzinfo)

    def next_workday(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day
