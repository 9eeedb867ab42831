"""Signed links to the H5 project page: which resident, until when (like surveys/links.py)."""
from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

from handlers.projects.service import ProjectError

SALT = "linli.project.h5"
TTL_S = 7 * 24 * 3600


def make_token(secret: str, *, resident_id: int, now_s: float, ttl_s: int = TTL_S) -> str:
    return URLSafeSerializer(secret, salt=SALT).dumps({"r": resident_id, "e": int(now_s) + ttl_s})


def read_token(secret: str, token: str, *, now_s: float) -> int:
    """The resident's id, or ProjectError when the link is forged or expired."""
    try:
        data = URLSafeSerializer(secret, salt=SALT).loads(token or "")
    except BadSignature:
        raise ProjectError("链接无效，请在公众号里回复“进度”获取新的链接") from None
    if data.get("e", 0) < now_s:
        raise ProjectError("链接已过期，请在公众号里回复“进度”获取新的链接")
    return int(data["r"])


def project_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/h5/project?t={token}"
