"""Project job: stages that a survey decides follow their runs (linked, started, closed by the gate)."""
from __future__ import annotations

from bot import db, runtime
from bot.clock.registry import job
from handlers.projects import gates


@job("projects.sync_stages", trigger="interval", seconds=120)
def sync_stages() -> str:
    """Link survey runs to their project stages and close the stages whose run passed its gate."""
    now = runtime.now()
    changed = gates.sync_all(session=db.session(), now=now)
    return f"{changed} stage changes"
