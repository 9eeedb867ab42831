"""Survey jobs: open and close runs on time; remind households that have not answered."""
from __future__ import annotations

from bot import db
from bot.clock.registry import job
from bot.runtime import now, render
from surveys import reminders, runs


@job("surveys.open_close", trigger="interval", seconds=60)
def open_close() -> str:
    """Open scheduled survey runs that are due and close those past their closing time."""
    done = runs.advance(session=db.session(), now=now())
    return f"opened {done['opened']}, closed {done['closed']}"


@job("surveys.remind", trigger="cron", hour=10, minute=0, misfire_grace_time=3600)
def remind() -> str:
    """Remind one verified member of each household that has not answered an open survey (once a day)."""
    queued = reminders.remind(session=db.session(), now=now(), render=render)
    return f"queued {queued} survey reminders"
