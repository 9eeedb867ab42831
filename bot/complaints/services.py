"""Build a complaints Env for the current request or job: a view of what the app holds."""
from __future__ import annotations

from flask import current_app

from bot import db
from bot.runtime import now, render, services
from handlers.complaints.env import Env


def current_env() -> Env:
    return Env(session=db.session(), settings=current_app.config["LINLI"], now=now(), render=render,
               link=services().complaint_links)
