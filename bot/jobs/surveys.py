"""Survey jobs: open and close runs on time; remind households that have not answered."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app

from bot import db
from bot.clock.registry import job
from surveys import reminders, runs


def _now() -> datetime:
    return datetime.fromtimestamp(current_app.extensions["linli.clock"](), timezone.utc)


@job("surveys.open_close", trigger="interval", seconds=60)
def open_close() -> str:
    """Open scheduled survey runs that are due and close those past their closing time."""
    done = runs.advance(session=db.session(), now=_now())
    return f"opened {done['opened']}, closed {done['closed']}"


@job("surveys.remind", trigger="cron", hour=10, minute=0, misfire_grace_time=3600)
def remind() -> str:
    """Remind one verified member of each household that has not answered an open survey (once a day)."""
    def render(template: str, **values) -> str:
        return current_app.jinja_env.get_template(template).render(**values)

    queued = reminders.remind(session=db.session(), now=_now(), render=render)
    return f"queued {queued} survey reminders"
