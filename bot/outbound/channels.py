"""How one outbox row reaches a resident, within WeChat's rules.

A customer-service message while the 48-hour window since the resident's
last interaction is open; when it is closed (or WeChat says so: 45015, or the
per-interaction quota 45047) a template message if ``[outbox.templates]``
maps the notice's kind to a template id; otherwise the row waits for the
resident's next interaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.outbound.claims import Claimed
from bot.wechat.api import WeChatApi, WeChatApiError

WINDOW_CLOSED = frozenset({45015, 45047})
# Retrying cannot help: invalid openid, not following, blocked, bad data, bad template id.
PERMANENT = frozenset({40003, 43004, 43019, 47001, 40037})


@dataclass(frozen=True)
class Outcome:
    status: str  # sent | waiting | retry | dead
    channel: str | None = None
    error: str | None = None
    stop: bool = False  # WeChat looks unavailable or rate-limited: end this run


def deliver_one(api: WeChatApi, msg: Claimed, *, now: datetime, settings: dict) -> Outcome:
    """Send ``msg`` by the best channel allowed now; never raises WeChatApiError."""
    if window_open(msg, now, settings["window_hours"]):
        try:
            api.send_custom(msg.openid, msg.payload)
            return Outcome("sent", "custom")
        except WeChatApiError as exc:
            if exc.errcode not in WINDOW_CLOSED:
                return failed(exc)
        except ValueError as exc:  # a payload we cannot turn into a message
            return Outcome("dead", error=str(exc))
    template_id = template_for(msg, settings["templates"])
    if not template_id:
        return Outcome("waiting", error="outside the 48-hour window and no template for this kind")
    data, url = template_data(msg)
    try:
        api.send_template(msg.openid, template_id, data, url=url)
        return Outcome("sent", "template")
    except WeChatApiError as exc:
        return failed(exc)


def window_open(msg: Claimed, now: datetime, hours: float) -> bool:
    return msg.last_interaction_at is not None and now - msg.last_interaction_at < timedelta(hours=hours)


def template_for(msg: Claimed, templates: dict[str, str]) -> str | None:
    fallback = msg.payload.get("template") or {}
    return templates.get(fallback.get("kind") or msg.kind)


def template_data(msg: Claimed) -> tuple[dict[str, Any], str | None]:
    """The template's fields: the payload's own, else the text as ``content`` (document it per template)."""
    fallback = msg.payload.get("template") or {}
    data = fallback.get("data") or {"content": msg.payload.get("text", "")}
    return data, fallback.get("url")


def failed(exc: WeChatApiError) -> Outcome:
    error = f"{exc.errcode} {exc.errmsg}"[:500]
    if exc.errcode in PERMANENT:
        return Outcome("dead", error=error)
    return Outcome("retry", error=error, stop=exc.transient)
