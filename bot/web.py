"""Blueprints other than the gateway, and response headers every page gets."""
from __future__ import annotations

from importlib import import_module

from flask import Flask

from bot import warmup

# Modules that define ``bp``; a feature adds one line here.
BLUEPRINTS: list[str] = ["bot.console", "bot.h5", "bot.console.surveys", "bot.console.faq", "bot.complaints.public",
                         "bot.console.outbox", "bot.console.complaints", "bot.open311"]
DEV_BLUEPRINTS: list[str] = ["bot.devtools.simulator_web"]

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
                               "script-src 'self'; frame-ancestors 'none'; form-action 'self'",
}


def register(app: Flask) -> None:
    names = list(BLUEPRINTS)
    if app.config["LINLI"]["app"]["env"] != "production":
        names += DEV_BLUEPRINTS
    for name in names:
        app.register_blueprint(import_module(name).bp)

    @app.after_request
    def _headers(response):
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    @app.get("/healthz")
    def healthz():
        """Liveness: the process answers (nothing else is checked)."""
        return {"ok": True}

    @app.get("/readyz")
    def readyz():
        """Readiness: 200 once warm (bot/warmup.py), else 503; asking starts a warm-up that is not running."""
        state = warmup.state_of(app)
        if state.ready.is_set():
            return {"ready": True, "warm_s": round(state.seconds, 1)}
        warmup.start_background(app)
        return {"ready": False, "warming": True, "error": state.error or None}, 503
