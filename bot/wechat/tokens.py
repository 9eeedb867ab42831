"""Where the one shared access_token lives, and the lock it is refreshed under.

WeChat invalidates the previous token five minutes after a refresh, so every
process (gunicorn workers, the clock, CLI commands) must share one token and
only one of them may ask for a new one at a time.  ``refresh`` is the single
door: under the store's lock it re-reads the token and asks WeChat only when
the stored token is still the one the caller found stale (or is missing or
about to expire); everyone else gets the token the winner stored.

Stores, chosen by ``make_store``:
- Redis (``[redis] url`` set): token in a key, lock by SET NX PX.
- PostgreSQL: the ``api_token`` row, locked with SELECT ... FOR UPDATE.
- SQLite (the embedded default): a JSON file beside the database, locked with
  flock; not the database itself, because a caller holding SQLite's write
  lock would then wait for itself.
- in-memory SQLite: a process-local store (tests and one-off tools).
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine, make_url

from models.outbound import ApiToken


@dataclass(frozen=True)
class Token:
    value: str
    expires_at: float  # epoch seconds

    def fresh(self, margin_s: float, now: float | None = None) -> bool:
        return self.expires_at - (time.time() if now is None else now) > margin_s


Fetch = Callable[[], Token]


class TokenStore:
    """Base: ``read``/``write`` plus a cross-process ``locked()`` context."""

    def read(self) -> Token | None:
        raise NotImplementedError

    def write(self, token: Token) -> None:
        raise NotImplementedError

    def locked(self) -> contextlib.AbstractContextManager:
        raise NotImplementedError

    def refresh(self, stale: str | None, fetch: Fetch, margin_s: float) -> Token:
        """A usable token: the stored one unless it is ``stale``, missing or expiring; else a new one."""
        with self.locked():
            current = self.read()
            if current and current.value != stale and current.fresh(margin_s):
                return current
            token = fetch()
            self.write(token)
            return token


class MemoryTokenStore(TokenStore):
    def __init__(self) -> None:
        self._token: Token | None = None
        self._lock = threading.Lock()

    def read(self) -> Token | None:
        return self._token

    def write(self, token: Token) -> None:
        self._token = token

    def locked(self):
        return self._lock


class FileTokenStore(TokenStore):
    """A JSON file replaced atomically; flock on a sibling ``.lock`` file."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._thread_lock = threading.Lock()

    def read(self) -> Token | None:
        try:
            data = json.loads(self.path.read_text())
        except (FileNotFoundError, ValueError):
            return None
        return Token(data["value"], float(data["expires_at"]))

    def write(self, token: Token) -> None:
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # the token is a secret
        with os.fdopen(fd, "w") as fh:
            json.dump({"value": token.value, "expires_at": token.expires_at}, fh)
        os.replace(tmp, self.path)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._thread_lock, open(self.lock_path, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)


class RedisTokenStore(TokenStore):
    """Token under ``linli:wechat:token:<app id>``; lock by SET NX PX, released only by its holder."""

    RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"

    def __init__(self, client, app_id: str, *, lock_ttl_s: float = 30.0, wait_s: float = 60.0):
        self.redis, self.key = client, f"linli:wechat:token:{app_id}"
        self.lock_key, self.lock_ttl_ms, self.wait_s = self.key + ":lock", int(lock_ttl_s * 1000), wait_s

    def read(self) -> Token | None:
        raw = self.redis.get(self.key)
        if not raw:
            return None
        data = json.loads(raw)
        return Token(data["value"], float(data["expires_at"]))

    def write(self, token: Token) -> None:
        ttl = max(1, int(token.expires_at - time.time()))
        self.redis.set(self.key, json.dumps({"value": token.value, "expires_at": token.expires_at}), ex=ttl)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        mine, deadline = secrets.token_hex(8), time.monotonic() + self.wait_s
        while not self.redis.set(self.lock_key, mine, nx=True, px=self.lock_ttl_ms):
            if time.monotonic() > deadline:
                raise TimeoutError("timed out waiting for the WeChat token lock in Redis")
            time.sleep(0.02)
        try:
            yield
        finally:
            self.redis.eval(self.RELEASE, 1, self.lock_key, mine)


class DatabaseTokenStore(TokenStore):
    """The ``api_token`` row on its own connection, locked FOR UPDATE (PostgreSQL)."""

    def __init__(self, engine: Engine, app_id: str):
        self.engine, self.app_id = engine, app_id

    def read(self) -> Token | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(ApiToken.value, ApiToken.expires_at)
                               .where(ApiToken.app_id == self.app_id)).first()
        return _row_token(row)

    def refresh(self, stale: str | None, fetch: Fetch, margin_s: float) -> Token:
        with self.engine.begin() as conn:
            self._ensure_row(conn)
            row = conn.execute(select(ApiToken.value, ApiToken.expires_at).where(ApiToken.app_id == self.app_id)
                               .with_for_update()).first()
            current = _row_token(row)
            if current and current.value != stale and current.fresh(margin_s):
                return current
            token = fetch()
            conn.execute(ApiToken.__table__.update().where(ApiToken.app_id == self.app_id).values(
                value=token.value, expires_at=datetime.fromtimestamp(token.expires_at, timezone.utc),
                updated_at=datetime.now(timezone.utc)))
            return token

    def _ensure_row(self, conn) -> None:
        exists = conn.execute(select(ApiToken.app_id).where(ApiToken.app_id == self.app_id)).first()
        if exists is None:
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            stmt = pg_insert(ApiToken.__table__) if conn.dialect.name == "postgresql" else insert(ApiToken.__table__)
            stmt = stmt.values(app_id=self.app_id, value="", updated_at=datetime.now(timezone.utc))
            if conn.dialect.name == "postgresql":
                stmt = stmt.on_conflict_do_nothing(index_elements=["app_id"])
            conn.execute(stmt)


def _row_token(row) -> Token | None:
    if row is None or not row.value or row.expires_at is None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=timezone.utc)
    return Token(row.value, expires.timestamp())


def make_store(cfg: dict, engine: Engine) -> TokenStore:
    """The store this deployment shares: Redis, PostgreSQL, a file beside SQLite, or memory."""
    app_id = cfg["wechat"]["app_id"]
    if cfg["redis"]["url"]:
        import redis

        return RedisTokenStore(redis.Redis.from_url(cfg["redis"]["url"]), app_id)
    if engine.dialect.name != "sqlite":
        return DatabaseTokenStore(engine, app_id)
    database = make_url(str(engine.url)).database
    if not database or database == ":memory:":
        return MemoryTokenStore()
    return FileTokenStore(f"{database}.wechat-token-{app_id}.json")
