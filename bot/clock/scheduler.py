"""The clock's scheduler: jobs kept in the app database, one instance each.

Every registered job is (re)added at start with its explicit id and
``replace_existing``, so restarting the clock after a deploy updates the
schedule; jobs no longer registered are removed.  ``coalesce`` runs a job
once for a pile of missed runs, ``misfire_grace_time`` drops runs missed for
longer than that, and ``max_instances=1`` never overlaps a job with itself.
APScheduler keeps its own table (``apscheduler_jobs``), created on start.
"""
from __future__ import annotations

import logging

from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask

from bot.clock import runner
from bot.clock.registry import Job, load_jobs

log = logging.getLogger(__name__)
JOBS_TABLE = "apscheduler_jobs"


def build_scheduler(app: Flask) -> BackgroundScheduler:
    cfg = app.config["LINLI"]
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=app.extensions["linli.engine"], tablename=JOBS_TABLE)},
        executors={"default": ThreadPoolExecutor(max_workers=4)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": cfg["clock"]["misfire_grace_s"]},
        timezone=cfg["app"]["timezone"])
    runner.APP = app
    for job in load_jobs().values():
        add(scheduler, job, cfg["clock"]["schedules"].get(job.name))
    scheduler.add_listener(lambda _event: remove_unregistered(scheduler), EVENT_SCHEDULER_STARTED)
    return scheduler


def add(scheduler: BackgroundScheduler, job: Job, override: dict | None = None) -> None:
    """Add ``job`` under its own id; ``[clock.schedules]`` may override its trigger arguments."""
    trigger_args = dict(override) if override else dict(job.trigger_args)
    scheduler.add_job("bot.clock.runner:run_scheduled", trigger=job.trigger, args=[job.name], id=job.name,
                      name=job.name, replace_existing=True, misfire_grace_time=job.misfire_grace_time,
                      **trigger_args)


def remove_unregistered(scheduler: BackgroundScheduler) -> None:
    """Drop stored jobs whose code is gone (call once the scheduler has started)."""
    registered = set(load_jobs())
    for stored in scheduler.get_jobs():
        if stored.id not in registered:
            log.info("clock: removing job %s (no longer registered)", stored.id)
            stored.remove()
