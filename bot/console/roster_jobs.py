"""Run a roster import for the console: inline for small files, in a thread for large ones.

The job's row (``import_job``) holds its status and error report, so any web
worker can show it; live progress of a running import is kept in this
process (``app.extensions["linli.roster_progress"]``), which the status
endpoint adds when it answers from the same process.
"""
from __future__ import annotations

import logging
import secrets
import threading
from datetime import datetime

from flask import Flask
from sqlmodel import Session, select

from bot import runtime
from handlers.households.roster import import_roster
from models import ImportJob

log = logging.getLogger(__name__)
INLINE_MAX_BYTES = 256 * 1024  # about 3,000 rows: answered within the request
MAX_ERRORS_KEPT = 1000


def progress_table(app: Flask) -> dict[str, dict]:
    return app.extensions.setdefault("linli.roster_progress", {})


def create_job(*, session: Session, filename: str, actor: str) -> ImportJob:
    job = ImportJob(token=secrets.token_urlsafe(12), filename=filename[:200], created_by=actor, status="queued")
    session.add(job)
    session.flush()
    return job


def start(app: Flask, token: str, data: bytes, *, filename: str, allowed: frozenset[int] | None,
          actor: str, create_communities: bool = False) -> None:
    """Run inline when small, otherwise in a daemon thread; either way the job row tells the outcome."""
    args = (app, token, data, filename, allowed, actor, create_communities)
    if len(data) <= app.config.get("ROSTER_INLINE_MAX_BYTES", INLINE_MAX_BYTES):
        run(*args)
        return
    threading.Thread(target=run, args=args, name=f"roster-{token}", daemon=True).start()


def run(app: Flask, token: str, data: bytes, filename: str, allowed: frozenset[int] | None, actor: str,
        create_communities: bool) -> None:
    live = progress_table(app)
    live[token] = {"phase": "check", "done": 0, "total": 0}

    def progress(phase: str, done: int, total: int) -> None:
        live[token] = {"phase": phase, "done": done, "total": total}

    with app.app_context(), Session(app.extensions["linli.engine"], expire_on_commit=False) as session:
        now = runtime.now(app)
        mark_running(token, session=session)
        try:
            result = import_roster(data, session=session, filename=filename, allowed_community_ids=allowed,
                                   create_communities=create_communities and allowed is None, progress=progress,
                                   actor=actor, now=now, id_key=app.config["LINLI"]["privacy"]["id_hash_key"])
        except Exception:
            log.exception("roster import %s crashed", token)
            session.rollback()
            finish(token, "failed", None, [{"row": 0, "column": "", "message": "导入出错，请联系管理员"}], now, session=session)
            return
        if not result.ok:
            session.rollback()
        errors = [e.to_dict() | {"text": str(e)} for e in result.errors[:MAX_ERRORS_KEPT]]
        finish(token, "done" if result.ok else "failed", result.summary() | {
            "error_count": len(result.errors)}, errors, now, session=session)
    live.pop(token, None)


def mark_running(token: str, *, session: Session) -> None:
    job = session.exec(select(ImportJob).where(ImportJob.token == token)).one()
    job.status = "running"
    session.add(job)
    session.commit()


def finish(token: str, status: str, summary: dict | None, errors: list, now: datetime, *, session: Session) -> None:
    """Store the outcome in the same transaction as the import (commit once)."""
    job = session.exec(select(ImportJob).where(ImportJob.token == token)).one()
    job.status, job.result, job.errors, job.finished_at = status, summary, errors, now
    job.total = (summary or {}).get("total", 0)
    session.add(job)
    session.commit()
