"""The app's clock, text rendering and services, read one way everywhere in ``bot``.

Views, jobs, commands and the gateway ask here instead of each reading
``app.extensions``: ``now()`` is the app's clock (tests move it), ``render()``
the app's Jinja environment, ``services()`` the typed services object that
handlers receive in their ``Context``.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask, current_app

from handlers.context import Services


def _app(app: Flask | None) -> Flask:
    return app if app is not None else current_app._get_current_object()


def now(app: Flask | None = None) -> datetime:
    """The app's clock as an aware UTC datetime."""
    return datetime.fromtimestamp(_app(app).extensions["linli.clock"](), timezone.utc)


def render(template: str, **values) -> str:
    """A template of ``templates/`` rendered with the app's Jinja environment."""
    return current_app.jinja_env.get_template(template).render(**values)


def services(app: Flask | None = None) -> Services:
    """The process's services (storage, complaint links, the FAQ index cache)."""
    return _app(app).extensions["linli.services"]


def init_app(app: Flask) -> None:
    app.extensions["linli.services"] = Services()
