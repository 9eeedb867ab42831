"""One clock at a time: a second clock started by mistake waits or exits, and schedules nothing.

Embedded setup: ``flock`` on ``clock.lock_path`` (released by the kernel when
the process dies, even by kill -9).  With ``[redis] url``: a Redis key set NX
with a TTL and renewed by a heartbeat thread, so clocks on several hosts
exclude each other; a clock that loses its key (Redis flushed, a long
pause) stops rather than run beside another.
"""
from __future__ import annotations

import fcntl
import os
import secrets
import socket
import threading
import time
from pathlib import Path
from typing import Callable


class ClockLock:
    description = ""

    def acquire(self, *, wait: bool) -> bool:
        raise NotImplementedError

    def release(self) -> None:
        raise NotImplementedError


class FileClockLock(ClockLock):
    def __init__(self, path: str):
        self.path, self._fh = Path(path), None
        self.description = f"file lock {self.path}"

    def acquire(self, *, wait: bool) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            return False
        fh.seek(0)
        fh.truncate()
        fh.write(f"{socket.gethostname()} {os.getpid()}\n")
        fh.flush()
        self._fh = fh
        return True

    def release(self) -> None:
        if self._fh is not None:
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None


class RedisClockLock(ClockLock):
    RENEW = ("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) "
             "end return 0")
    RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"

    def __init__(self, client, *, key: str = "linli:clock:lock", ttl_s: float = 30.0,
                 on_lost: Callable[[], None] | None = None):
        self.redis, self.key, self.ttl_ms = client, key, int(ttl_s * 1000)
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self.on_lost = on_lost or (lambda: os._exit(3))
        self._stop = threading.Event()
        self.description = f"Redis key {key}"

    def acquire(self, *, wait: bool) -> bool:
        while not self.redis.set(self.key, self.owner, nx=True, px=self.ttl_ms):
            if not wait:
                return False
            time.sleep(self.ttl_ms / 3000)
        threading.Thread(target=self._heartbeat, name="clock-lock", daemon=True).start()
        return True

    def _heartbeat(self) -> None:
        while not self._stop.wait(self.ttl_ms / 3000):
            try:
                renewed = self.redis.eval(self.RENEW, 1, self.key, self.owner, self.ttl_ms)
            except Exception:  # Redis unreachable for a moment: the key outlives a short outage
                continue
            if not renewed:
                self.on_lost()
                return

    def release(self) -> None:
        self._stop.set()
        self.redis.eval(self.RELEASE, 1, self.key, self.owner)


def clock_lock(cfg: dict) -> ClockLock:
    if cfg["redis"]["url"]:
        import redis

        return RedisClockLock(redis.Redis.from_url(cfg["redis"]["url"]))
    return FileClockLock(cfg["clock"]["lock_path"])
