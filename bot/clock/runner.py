"""Run one registered job inside an app context, committing once (or rolling back)."""
from __future__ import annotations

import logging
import time

from flask import Flask

from bot import db
from bot.clock.registry import load_jobs

log = logging.getLogger(__name__)

# The clock process's app; APScheduler stores jobs as "bot.clock.runner:run_scheduled" + the job's name,
# so the stored job never refers to an app object.
APP: Flask | None = None


class UnknownJob(KeyError):
    pass


def run_job(app: Flask, name: str):
    """Run job ``name`` now; returns its summary.  Raises UnknownJob or whatever the job raised."""
    jobs = load_jobs()
    if name not in jobs:
        raise UnknownJob(name)
    started = time.perf_counter()
    with app.app_context():
        session = db.session()
        try:
            result = jobs[name].func()
            session.commit()
        except Exception:
            session.rollback()
            log.exception("job %s failed after %.1f s", name, time.perf_counter() - started)
            raise
    # Quiet when there was nothing to do (the delivery job runs every few seconds).
    log.log(logging.INFO if result else logging.DEBUG, "job %s done in %.2f s: %s", name,
            time.perf_counter() - started, result or "nothing to do")
    return result


def run_scheduled(name: str) -> None:
    """The callable APScheduler stores for every job."""
    if APP is None:
        raise RuntimeError("the clock's app is not set (bot.clock.runner.APP)")
    try:
        run_job(APP, name)
    except UnknownJob:
        log.error("job %s is scheduled but no longer registered", name)
