"""Signed links a resident opens from WeChat: their complaint's status and its photos.

A link carries the complaint (or photo) id and the recipient's openid, signed
with the app's secret and valid ``[media] link_ttl_s``; nothing else grants
access, and the files are never public static files.
"""
from __future__ import annotations

from typing import Any

from flask import Flask
from itsdangerous import BadSignature, URLSafeTimedSerializer

from bot import runtime

SALT = "linli.complaint-link"


class Links:
    def __init__(self, secret: str, base_url: str, ttl_s: int):
        self.signer = URLSafeTimedSerializer(secret, salt=SALT)
        self.base_url, self.ttl_s = base_url.rstrip("/"), ttl_s

    def __call__(self, kind: str, complaint, photo_id: int | None = None, openid: str | None = None,
                 thumb: bool = False) -> str:
        token = self.token(complaint.id, openid or complaint.openid or "", photo_id)
        if kind == "photo":
            return f"{self.base_url}/c/photo/{token}" + ("?thumb=1" if thumb else "") if photo_id else ""
        return f"{self.base_url}/c/{token}"

    def token(self, complaint_id: int, openid: str, photo_id: int | None = None) -> str:
        return self.signer.dumps({"c": complaint_id, "o": openid, "p": photo_id})

    def read(self, token: str) -> dict[str, Any] | None:
        try:
            return self.signer.loads(token, max_age=self.ttl_s)
        except BadSignature:
            return None


def init_app(app: Flask) -> Links:
    cfg = app.config["LINLI"]
    links = Links(app.config["SECRET_KEY"], cfg["app"]["public_base_url"], int(cfg["media"]["link_ttl_s"]))
    runtime.services(app).complaint_links = links
    return links
