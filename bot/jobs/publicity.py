"""Publicity jobs: publish closed survey runs (公示) and end objection windows with the final notice."""
from __future__ import annotations

from flask import current_app

from bot import db
from bot.clock.registry import job
from bot.runtime import now, render
from surveys import publicity


@job("surveys.publicity", trigger="interval", seconds=60)
def publish_and_finish() -> str:
    """Publish every closed run once (residents in scope told once); send the final notice when a window ends."""
    cfg = current_app.config["LINLI"]
    session, when = db.session(), now()
    published = publicity.publish_due(session=session, now=when, days=int(cfg["surveys"]["objection_days"]),
                                      render=render, app_settings=cfg["app"])
    finished = publicity.finish_due(session=session, now=when, render=render, app_settings=cfg["app"])
    return f"published {published}, finished {finished}"
