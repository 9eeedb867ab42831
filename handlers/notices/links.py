"""Signed links to the H5 notices page: which resident, until when (itsdangerous, HMAC)."""
from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "linli.notices.h5"
TTL_S = 7 * 24 * 3600


def make_token(secret: str, *, resident_id: int, now_s: float, ttl_s: int = TTL_S) -> str:
    return URLSafeSerializer(secret, salt=SALT).dumps({"r": resident_id, "e": int(now_s) + ttl_s})


def read_token(secret: str, token: str, *, now_s: float) -> int | None:
    """The resident's id, or None when the link is forged or expired."""
    try:
        data = URLSafeSerializer(secret, salt=SALT).loads(token or "")
    except BadSignature:
        return None
    return int(data["r"]) if data.get("e", 0) >= now_s else None


def notices_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/h5/notices?t={token}"
