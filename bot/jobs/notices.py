"""Notice jobs: announce survey runs that opened, fan out scheduled notices when due."""
from __future__ import annotations



from bot import db
from bot.clock.registry import job
from handlers.notices import announce, service
from bot.runtime import now, render


@job("notices.send", trigger="interval", seconds=30)
def send() -> str:
    """Queue scheduled notices whose time has come, and announce survey runs that opened (each once)."""
    session, when = db.session(), now()
    announced = announce.announce_open_runs(session=session, now=when, render=render)
    done = service.send_due(session=session, now=when, render=render)
    return f"announced {announced} surveys, sent {done['notices']} notices, queued {done['queued']}"
