"""The engine and the request's session.

The session lives on ``g`` and is closed on teardown; services flush, the
edge (a view or a job) commits once.  SQLite runs in WAL mode and takes its
write lock at BEGIN (IMMEDIATE), so two workers never deadlock upgrading a
read lock: a writer waits (busy_timeout) instead of failing.
"""
from __future__ import annotations

from pathlib import Path

from flask import current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

import models  # noqa: F401  (registers every table)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url, echo)
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=10)


def _sqlite_engine(url: str, echo: bool) -> Engine:
    memory = url in ("sqlite://", "sqlite:///:memory:")
    if not memory:
        Path(make_url(url).database).parent.mkdir(parents=True, exist_ok=True)
    kwargs = {"poolclass": StaticPool} if memory else {}
    engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def engine() -> Engine:
    return current_app.extensions["linli.engine"]


def session() -> Session:
    """The request's (or job's) session, created on first use."""
    if "db_session" not in g:
        g.db_session = Session(engine(), expire_on_commit=False)
    return g.db_session


def close_session(_exc=None) -> None:
    sess = g.pop("db_session", None)
    if sess is not None:
        sess.close()  # rolls back anything left uncommitted
