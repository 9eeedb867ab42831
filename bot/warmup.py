"""Warm a fresh web worker before it takes requests (called from gunicorn.conf.py).

A new worker (first start, or one gunicorn re-forked after a crash) would
otherwise pay for jieba's dictionary and the FAQ index on its first
question: seconds on a busy machine, past WeChat's 5-second limit.
"""
from __future__ import annotations

import logging
import time

from flask import Flask

log = logging.getLogger(__name__)


def warm(app: Flask) -> None:
    """Build this process's FAQ index (and jieba's tokenizer); never fails the worker."""
    from bot import db
    from handlers.faq import features
    from handlers.faq.cache import cache_for

    started = time.perf_counter()
    try:
        features.tokenizer()
        with app.app_context():
            cache_for(app.extensions["linli.services"]).get(db.session())
    except Exception:  # noqa: BLE001 (the database may be down: the first question builds it then)
        log.warning("warm-up failed; the first question builds the FAQ index", exc_info=True)
        return
    log.info("worker warmed up in %.1f s", time.perf_counter() - started)
