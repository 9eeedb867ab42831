"""Flask extensions, created unbound; imports nothing from the app (flaskbb's habit).

``init_app(app)`` binds them; the console blueprint calls it when registered,
so no edit of the app factory is needed to have a console.
"""
from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()

# Blueprints called by machines that cannot carry a CSRF token (WeChat's servers).
CSRF_EXEMPT_BLUEPRINTS = ("bot.wechat.gateway",)


def init_app(app: Flask) -> None:
    if app.extensions.get("linli.console_extensions"):
        return
    from importlib import import_module

    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # tied to the session, which expires anyway
    hours = float(app.config["LINLI"]["console"]["session_hours"])
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=hours)  # also the signature's max age
    app.config.update(REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax",
                      REMEMBER_COOKIE_SECURE=app.config.get("SESSION_COOKIE_SECURE", False))
    login_manager.init_app(app)
    login_manager.login_view = "console.login"
    login_manager.login_message = "请先登录"
    login_manager.session_protection = "strong"
    csrf.init_app(app)
    for name in CSRF_EXEMPT_BLUEPRINTS:
        csrf.exempt(import_module(name).bp)
    app.extensions["linli.console_extensions"] = True
