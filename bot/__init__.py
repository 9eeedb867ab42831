"""The composition root: the only package that knows Flask, wechatpy and APScheduler.

``create_app(overrides=None)`` builds everything; nothing is created at import time.
``overrides`` is a nested dict in the shape of config.toml, plus two optional
entries for tests and tools: ``config_path`` (a TOML file to read instead of
LINLI_CONFIG) and ``time_source`` (a callable returning epoch seconds; tests
use it to fix the clock).  ``clock`` is the ``[clock]`` section, as in config.toml.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    from bot import config as config_mod
    from bot import db, runtime, warmup
    from models import localtime

    overrides = dict(overrides or {})
    clock = overrides.pop("time_source", None) or time.time
    cfg = config_mod.load(overrides.pop("config_path", None), overrides=overrides)
    localtime.use_zone(cfg["app"]["timezone"])  # every date a person reads
    logging.basicConfig(level=cfg["app"]["log_level"], format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # urllib3 logs each request's URL at DEBUG: WeChat's carry the AppSecret (cgi-bin/token) or the access_token.
    logging.getLogger("urllib3").setLevel(max(logging.INFO, logging.getLogger().getEffectiveLevel()))
    from bot.accesslog import install_werkzeug_filter

    install_werkzeug_filter()  # the development server's request log, without link tokens

    app = Flask(__name__, template_folder=str(PROJECT_ROOT / "templates"),
                static_folder=str(PROJECT_ROOT / "static"), static_url_path="/static",
                instance_path=str(Path(cfg["_meta"]["root"]) / "instance"))
    app.config.update(LINLI=cfg, SECRET_KEY=cfg["app"]["secret_key"],
                      TESTING=cfg["app"]["env"] == "testing",
                      SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=cfg["app"]["env"] == "production",
                      MAX_CONTENT_LENGTH=32 * 1024 * 1024)
    _trust_proxies(app, int(cfg["app"]["proxy_count"]))
    app.extensions["linli.clock"] = clock
    app.extensions["linli.engine"] = db.make_engine(cfg["database"]["url"], echo=cfg["database"]["echo"])
    runtime.init_app(app)  # app.extensions["linli.services"]: handlers.context.Services
    app.teardown_appcontext(db.close_session)
    _wire(app, cfg)
    warmup.init_app(app)  # last: warm before any server hands this app a request ([app] warm_up)
    return app


def _trust_proxies(app: Flask, count: int) -> None:
    """Read the client's address from exactly ``count`` proxies' X-Forwarded-For (0: none is trusted).

    Only the last ``count`` entries are believed: what a client writes in the
    header itself comes before them.  The scheme comes from the nearest proxy
    (nginx overwrites X-Forwarded-Proto), so Secure cookies and CSRF's
    same-origin check see https.
    """
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=1, x_host=0, x_port=0, x_prefix=0)


def _wire(app: Flask, cfg: dict) -> None:
    import handlers  # noqa: F401  (features register themselves)
    from bot import cli, question_ui, storage, urls, web
    from bot.wechat import crypto, gateway

    if cfg["wechat"]["encoding_aes_key"]:
        app.extensions["linli.envelope"] = crypto.Envelope(cfg["wechat"]["encoding_aes_key"], cfg["wechat"]["app_id"])
    urls.init_app(app)  # before any route: ids past an integer column do not match
    storage.init_app(app)  # runtime.services().storage, backend from [media]
    app.register_blueprint(gateway.bp)
    web.register(app)
    question_ui.init_app(app)  # every question type's templates, or no start
    cli.register(app)
