"""Notice jobs: announce survey runs that opened, fan out scheduled notices when due."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app

from bot import db
from bot.clock.registry import job
from handlers.notices import announce, service


def clock_now() -> datetime:
    return datetime.fromtimestamp(current_app.extensions["linli.clock"](), timezone.utc)


def render(template: str, **values) -> str:
    return current_app.jinja_env.get_template(template).render(**values)


@job("notices.send", trigger="interval", seconds=30)
def send() -> str:
    """Queue scheduled notices whose time has come, and announce survey runs that opened (each once)."""
    session, now = db.session(), clock_now()
    announced = announce.announce_open_runs(session=session, now=now, render=render)
    done = service.send_due(session=session, now=now, render=render)
    return f"announced {announced} surveys, sent {done['notices']} notices, queued {done['queued']}"
