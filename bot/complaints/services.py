"""Build a complaints Env for the current request or job (session, clock, templates, links)."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app

from bot import db
from handlers.complaints.env import Env


def now() -> datetime:
    return datetime.fromtimestamp(current_app.extensions["linli.clock"](), timezone.utc)


def render(template: str, **values) -> str:
    return current_app.jinja_env.get_template(template).render(**values)


def current_env() -> Env:
    services = current_app.extensions.get("linli.services", {})
    return Env(session=db.session(), settings=current_app.config["LINLI"], now=now(), render=render,
               link=services.get("complaint_links"))


def storage():
    return current_app.extensions["linli.services"]["storage"]
