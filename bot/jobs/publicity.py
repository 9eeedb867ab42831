"""Publicity jobs: publish closed survey runs (公示) and end objection windows with the final notice."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app

from bot import db
from bot.clock.registry import job
from surveys import publicity


def _now() -> datetime:
    return datetime.fromtimestamp(current_app.extensions["linli.clock"](), timezone.utc)


def _render(template: str, **values) -> str:
    return current_app.jinja_env.get_template(template).render(**values)


@job("surveys.publicity", trigger="interval", seconds=60)
def publish_and_finish() -> str:
    """Publish every closed run once (residents in scope told once); send the final notice when a window ends."""
    cfg = current_app.config["LINLI"]
    session, now = db.session(), _now()
    published = publicity.publish_due(session=session, now=now, days=int(cfg["surveys"]["objection_days"]),
                                      render=_render, app_settings=cfg["app"])
    finished = publicity.finish_due(session=session, now=now, render=_render, app_settings=cfg["app"])
    return f"published {published}, finished {finished}"
