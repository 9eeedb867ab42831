"""Signed links to a publicity's H5 page: which resident, which publicity, until the window ends.

Like ``surveys.links`` (itsdangerous, the expiry inside the signed payload and
checked against the caller's clock), with its own salt so that a survey link
never opens a publicity page or the other way round.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer

from models.publicity import Publicity
from surveys.errors import NotAllowed

SALT = "linli.publicity.h5"
GRACE = timedelta(days=1)  # the page still shows the result (not the form) a day after the window


def make_token(secret: str, *, resident_id: int, publicity_id: int, expires: datetime) -> str:
    return URLSafeSerializer(secret, salt=SALT).dumps({"r": resident_id, "p": publicity_id,
                                                      "e": int(expires.timestamp())})


def read_token(secret: str, token: str, *, now: datetime) -> tuple[int, int]:
    """(resident id, publicity id), or NotAllowed when the link is forged or expired."""
    try:
        data = URLSafeSerializer(secret, salt=SALT).loads(token or "")
    except BadSignature:
        raise NotAllowed("链接无效，请在公众号里回复“公示”获取新的链接") from None
    if data.get("e", 0) < now.timestamp():
        raise NotAllowed("链接已过期，请在公众号里回复“公示”获取新的链接")
    return int(data["r"]), int(data["p"])


def page_url(app_settings: dict, *, resident_id: int, publicity: Publicity, now: datetime) -> str:
    """The resident's link to the publicity page, valid until a day after the window ends."""
    expires = max(publicity.objection_ends_at, now) + GRACE
    token = make_token(app_settings["secret_key"], resident_id=resident_id, publicity_id=publicity.id,
                       expires=expires)
    return f"{app_settings['public_base_url'].rstrip('/')}/h5/publicity/{publicity.id}?t={token}"
