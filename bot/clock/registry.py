"""Scheduled jobs register here; the clock process and ``flask jobs`` read it.

A feature adds a module ``bot/jobs/<area>.py`` to ``JOB_MODULES`` and decorates
its jobs::

    from bot.clock.registry import job

    @job("surveys.remind", trigger="cron", hour=9, minute=30)
    def remind() -> str | None:
        ...

The contract: a job takes no arguments (it looks up ids itself, never ORM
objects from elsewhere), runs inside an app context with ``bot.db.session()``,
is idempotent (running it twice, or concurrently with a stale copy, does no
harm), and returns an optional one-line summary.  The runner commits the
session once after the job returns and rolls back if it raises; a job that
must commit in steps (the outbox: claim, send, mark) commits itself.
Triggers are APScheduler 3's: ``interval`` (seconds=, minutes=...), ``cron``
(hour=, minute=..., in the app's timezone) or ``date``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, Callable

# Feature job modules (each imports this module and decorates its jobs).
JOB_MODULES: list[str] = ["bot.jobs.outbox", "bot.jobs.wechat", "bot.jobs.figures", "bot.jobs.complaints", "bot.jobs.surveys",
                          "bot.jobs.faq", "bot.jobs.publicity",
                          "bot.jobs.projects", "bot.jobs.notices"]

JOBS: dict[str, "Job"] = {}


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[], Any]
    trigger: str
    trigger_args: dict[str, Any] = field(default_factory=dict)
    misfire_grace_time: int = 60
    description: str = ""


def job(name: str, trigger: str = "interval", *, misfire_grace_time: int = 60, **trigger_args: Any):
    """Register the decorated function as the scheduled job ``name`` (its explicit id)."""
    if trigger not in ("interval", "cron", "date"):
        raise ValueError(f"job {name}: unknown trigger {trigger!r}")

    def decorate(func: Callable[[], Any]) -> Callable[[], Any]:
        doc = (func.__doc__ or "").strip().splitlines()
        held = JOBS.get(name)
        if held is not None and held.func is not func:  # two jobs of one id: the scheduler would keep one
            raise ValueError(f"job {name!r} is already registered by {held.func.__module__}")
        JOBS[name] = Job(name=name, func=func, trigger=trigger, trigger_args=dict(trigger_args),
                         misfire_grace_time=misfire_grace_time, description=doc[0] if doc else "")
        return func

    return decorate


def load_jobs() -> dict[str, Job]:
    """Import every job module (idempotent) and return the registry."""
    for module in JOB_MODULES:
        import_module(module)
    return JOBS
