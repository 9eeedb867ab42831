"""A token bucket for WeChat's send quotas: ``rate_per_s`` on average, ``burst`` at once.

With ``[redis] url`` the bucket lives in Redis and is shared by every process
that delivers; otherwise it is per process, which is enough because only the
clock process delivers (a second clock is kept idle by its lock).
"""
from __future__ import annotations

import threading
import time
from typing import Callable

# KEYS[1] bucket; ARGV rate, burst, now (s).  Returns milliseconds to wait (0: token taken).
_REDIS_TAKE = """
local rate, burst, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('hmget', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(state[1]) or burst, tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate * 1000) end
redis.call('hset', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('expire', KEYS[1], 3600)
return wait
"""


class TokenBucket:
    """Per-process bucket; ``take()`` blocks until a send is allowed."""

    def __init__(self, rate_per_s: float, burst: int, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        if rate_per_s <= 0 or burst < 1:
            raise ValueError("outbox.rate_per_s must be > 0 and outbox.burst >= 1")
        self.rate, self.burst, self.clock, self.sleep = float(rate_per_s), float(burst), clock, sleep
        self.tokens, self.at = self.burst, clock()
        self._lock = threading.Lock()

    def try_take(self) -> float:
        """0 if a token was taken, else the seconds to wait for one."""
        with self._lock:
            now = self.clock()
            self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
            self.at = now
            if self.tokens >= 1 - 1e-9:  # float dust must not make a waiter spin
                self.tokens = max(0.0, self.tokens - 1)
                return 0.0
            return (1 - self.tokens) / self.rate

    def take(self) -> None:
        while (wait := self.try_take()) > 0:
            self.sleep(wait)


class RedisTokenBucket(TokenBucket):
    """The same bucket kept in Redis, so that several delivering processes share one quota."""

    def __init__(self, client, rate_per_s: float, burst: int, *, key: str = "linli:outbox:bucket"):
        super().__init__(rate_per_s, burst)
        self.redis, self.key = client, key
        self._take = client.register_script(_REDIS_TAKE)

    def try_take(self) -> float:
        return int(self._take(keys=[self.key], args=[self.rate, self.burst, time.time()])) / 1000.0


def make_bucket(cfg: dict) -> TokenBucket:
    outbox = cfg["outbox"]
    if cfg["redis"]["url"]:
        import redis

        return RedisTokenBucket(redis.Redis.from_url(cfg["redis"]["url"]), outbox["rate_per_s"], outbox["burst"])
    return TokenBucket(outbox["rate_per_s"], outbox["burst"])
