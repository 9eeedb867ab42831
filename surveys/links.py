"""Signed links to the H5 survey page: who (resident) and which run, until when.

The token is signed with the app's secret (itsdangerous, HMAC); the expiry is
inside the signed payload and checked against the caller's clock, so tests
with a fake clock and production agree.
"""
from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

from surveys.errors import NotAllowed

SALT = "linli.survey.h5"
DOOR_SALT = "linli.survey.door"
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


def make_household_token(secret: str, *, household_id: int, run_id: int) -> str:
    """The token printed (as a QR code) on a household's paper ballot.

    It names a household, not a voter, and does not expire: it only opens the door.
    Whoever scans it is identified by WeChat (OAuth) and must be a member of that
    household allowed to vote, exactly as in chat.
    """
    return URLSafeSerializer(secret, salt=DOOR_SALT).dumps({"h": household_id, "s": run_id})


def read_household_token(secret: str, token: str) -> tuple[int, int]:
    """(household id, run id) of a paper ballot's QR code, or NotAllowed."""
    try:
        data = URLSafeSerializer(secret, salt=DOOR_SALT).loads(token or "")
    except BadSignature:
        raise NotAllowed("二维码无效，请在公众号里回复“调查”参与") from None
    return int(data["h"]), int(data["s"])


def door_url(base_url: str, run_id: int, token: str) -> str:
    return f"{base_url.rstrip('/')}/h5/surveys/{run_id}/door?h={token}"
