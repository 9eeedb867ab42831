"""Signed links to the H5 survey page: who (resident) and which run, until when.

The token is signed with the app's secret (itsdangerous, HMAC); the expiry is
inside the signed payload and checked against the caller's clock, so tests
with a fake clock and production agree.
"""
from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

from surveys.errors import NotAllowed

SALT = "linli.survey.h5"
TTL_S = 2 * 3600


def make_token(secret: str, *, resident_id: int, run_id: int, now_s: float, ttl_s: int = TTL_S) -> str:
    return URLSafeSerializer(secret, salt=SALT).dumps({"r": resident_id, "s": run_id, "e": int(now_s) + ttl_s})


def read_token(secret: str, token: str, *, now_s: float) -> tuple[int, int]:
    """(resident id, run id), or NotAllowed when the link is forged or expired."""
    try:
        data = URLSafeSerializer(secret, salt=SALT).loads(token or "")
    except BadSignature:
        raise NotAllowed("链接无效，请在公众号里回复“调查”获取新的链接") from None
    if data.get("e", 0) < now_s:
        raise NotAllowed("链接已过期，请在公众号里回复“调查”获取新的链接")
    return int(data["r"]), int(data["s"])


def survey_url(base_url: str, run_id: int, token: str) -> str:
    return f"{base_url.rstrip('/')}/h5/surveys/{run_id}?t={token}"
