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
    from bot import db, warmup

    overrides = dict(overrides or {})
    clock = overrides.pop("time_source", None) or time.time
    cfg = config_mod.load(overrides.pop("config_path", None), overrides=overrides)
    logging.basicConfig(level=cfg["app"]["log_level"], format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # urllib3 logs each request's URL at DEBUG: WeChat's carry the AppSecret (cgi-bin/token) or the access_token.
    logging.getLogger("urllib3").setLevel(max(logging.INFO, logging.getLogger().getEffectiveLevel()))

    app = Flask(__name__, template_folder=str(PROJECT_ROOT / "templates"),
                static_folder=str(PROJECT_ROOT / "static"), static_url_path="/static",
                instance_path=str(Path(cfg["_meta"]["root"]) / "instance"))
    app.config.update(LINLI=cfg, SECRET_KEY=cfg["app"]["secret_key"],
                      TESTING=cfg["app"]["env"] == "testing",
                      SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=cfg["app"]["env"] == "production",
                      MAX_CONTENT_LENGTH=32 * 1024 * 1024)
    app.extensions["linli.clock"] = clock
    app.extensions["linli.engine"] = db.make_engine(cfg["database"]["url"], echo=cfg["database"]["echo"])
    app.extensions["linli.services"] = {}
    app.teardown_appcontext(db.close_session)
    _wire(app, cfg)
    warmup.init_app(app)  # last: warm before any server hands this app a request ([app] warm_up)
    return app


def _wire(app: Flask, cfg: dict) -> None:
    from bot import cli, storage, web
    from bot.wechat import crypto, gateway

    import handlers  # noqa: F401  (features register themselves)

    if cfg["wechat"]["encoding_aes_key"]:
        app.extensions["linli.envelope"] = crypto.Envelope(cfg["wechat"]["encoding_aes_key"], cfg["wechat"]["app_id"])
    storage.init_app(app)  # app.extensions["linli.services"]["storage"], backend from [media]
    app.register_blueprint(gateway.bp)
    web.register(app)
    cli.register(app)
