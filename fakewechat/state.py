"""What the fake WeChat API knows and records; thread-safe, no HTTP here.

Token life follows WeChat's rules closely enough for our clients: a token
lives ``token_ttl`` seconds and issuing a new one leaves the previous ones
valid for five more minutes.  Errors use WeChat's codes.
"""
from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

OLD_TOKEN_GRACE_S = 300

ERRMSG = {
    0: "ok", -1: "system error", 40001: "invalid credential, access_token is invalid or not latest",
    40003: "invalid openid", 40007: "invalid media_id", 40013: "invalid appid", 40014: "invalid access_token",
    40029: "invalid code", 40125: "invalid appsecret", 40163: "code been used", 41001: "access_token missing",
    42001: "access_token expired", 44002: "empty post data", 45009: "reach max api daily quota limit",
    43101: "user refuse to accept the msg", 45015: "response out of time limit or subscription is canceled",
    47001: "data format error", 47003: "argument invalid",
}


@dataclass
class Failure:
    path_suffix: str
    errcode: int
    remaining: int


@dataclass
class State:
    app_id: str = "wx5e1a0c0ffee2024a"
    app_secret: str = "dev-app-secret"
    token_ttl: int = 7200
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.tokens: dict[str, float] = {}  # token -> expiry (epoch seconds)
            self.calls: list[dict[str, Any]] = []
            self.media: dict[str, tuple[bytes, str]] = {}
            self.oauth_codes: dict[str, str] = {}
            self.used_codes: set[str] = set()
            self.failures: list[Failure] = []
            self.outside: set[str] = set()
            self.no_subscription: set[str] = set()  # openids who did not accept a subscription notice
            self.menu: dict | None = None
            self.delay_s = 0.0
            self.down_until: float | None = None  # 503 mode while set (HTTP control)
            self.rate_per_s: float | None = None
            self.recent_sends: list[float] = []

    # tokens -----------------------------------------------------------------
    def issue_token(self) -> tuple[str, int]:
        now = time.time()
        with self.lock:
            for token, expiry in self.tokens.items():
                self.tokens[token] = min(expiry, now + OLD_TOKEN_GRACE_S)
            token = "FAKE_" + secrets.token_urlsafe(24)
            self.tokens[token] = now + self.token_ttl
            return token, self.token_ttl

    def current_token(self) -> str | None:
        """The newest token still valid (stable_token without force_refresh returns it)."""
        now = time.time()
        with self.lock:
            live = [(exp, tok) for tok, exp in self.tokens.items() if exp > now]
        return max(live)[1] if live else None

    def check_token(self, token: str | None) -> int:
        if not token:
            return 41001
        with self.lock:
            expiry = self.tokens.get(token)
        if expiry is None:
            return 40001
        return 42001 if expiry <= time.time() else 0

    def expire_tokens(self) -> None:
        with self.lock:
            for token in self.tokens:
                self.tokens[token] = 0.0

    # control ----------------------------------------------------------------
    def add_media(self, data: bytes, content_type: str = "image/jpeg") -> str:
        media_id = "MEDIA_" + secrets.token_urlsafe(16)
        with self.lock:
            self.media[media_id] = (data, content_type)
        return media_id

    def add_oauth_code(self, code: str, openid: str) -> None:
        with self.lock:
            self.oauth_codes[code] = openid

    def take_oauth_code(self, code: str) -> tuple[int, str | None]:
        with self.lock:
            if code in self.used_codes:
                return 40163, None
            openid = self.oauth_codes.pop(code, None)
            if openid is None:
                return 40029, None
            self.used_codes.add(code)
            return 0, openid

    def fail(self, path_suffix: str, errcode: int, times: int = 1) -> None:
        with self.lock:
            self.failures.append(Failure(path_suffix.strip("/"), int(errcode), int(times)))

    def injected_failure(self, path: str) -> int | None:
        with self.lock:
            for failure in self.failures:
                if failure.remaining > 0 and path.endswith(failure.path_suffix):
                    failure.remaining -= 1
                    return failure.errcode
        return None

    def is_down(self) -> bool:
        with self.lock:
            if self.down_until is None:
                return False
            if self.down_until and time.time() >= self.down_until:
                self.down_until = None
                return False
            return True

    def set_down(self, seconds: float | None) -> None:
        """503 for ``seconds`` (0 or None: until told to come up)."""
        with self.lock:
            self.down_until = time.time() + seconds if seconds else 0.0

    def set_up(self) -> None:
        with self.lock:
            self.down_until = None

    def over_rate(self) -> bool:
        """True when message sends exceed the configured per-second quota (45009)."""
        if self.rate_per_s is None:
            return False
        now = time.time()
        with self.lock:
            self.recent_sends = [t for t in self.recent_sends if t > now - 1.0]
            if len(self.recent_sends) >= self.rate_per_s:
                return True
            self.recent_sends.append(now)
            return False

    def record(self, call: dict[str, Any]) -> None:
        with self.lock:
            call["seq"] = len(self.calls)
            self.calls.append(call)

    def calls_since(self, since: int = 0, path: str | None = None) -> list[dict[str, Any]]:
        with self.lock:
            found = self.calls[since:]
        return [c for c in found if path is None or c["path"].endswith(path)]
