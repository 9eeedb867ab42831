"""How one outbox row reaches a resident, within WeChat's rules.

A customer-service message while the 48-hour window since the resident's
last interaction is open; when it is closed (or WeChat says so: 45015, or the
per-interaction quota 45047) a template message if ``[outbox.templates]``
maps the notice's kind to a template id, else a subscription notice if
``[outbox.subscriptions]`` does (and the resident accepted it: not 43101);
otherwise the row waits for the resident's next interaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from bot.outbound.claims import Claimed
from bot.wechat.api import WeChatApi, WeChatApiError

WINDOW_CLOSED = frozenset({45015, 45047})
NOT_ACCEPTED = 43101  # the resident has not accepted this subscription notice
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
        outcome = try_custom(api, msg)
        if outcome is not None:
            return outcome
    data, url = template_data(msg)
    template_id = template_for(msg, settings["templates"])
    if template_id:
        return notice(lambda: api.send_template(msg.openid, template_id, data, url=url), "template")
    subscription_id = template_for(msg, settings.get("subscriptions") or {})
    if subscription_id:
        outcome = notice(lambda: api.send_subscription(msg.openid, subscription_id, data, page=url), "subscribe")
        if outcome.error is None or not outcome.error.startswith(f"{NOT_ACCEPTED} "):
            return outcome
    return Outcome("waiting", error="outside the 48-hour window and no notice this resident can receive")


def try_custom(api: WeChatApi, msg: Claimed) -> Outcome | None:
    """A customer-service message; None when WeChat says the window is closed after all."""
    try:
        api.send_custom(msg.openid, msg.payload)
        return Outcome("sent", "custom")
    except WeChatApiError as exc:
        return None if exc.errcode in WINDOW_CLOSED else failed(exc)
    except ValueError as exc:  # a payload we cannot turn into a message
        return Outcome("dead", error=str(exc))


def notice(send: Callable[[], dict], channel: str) -> Outcome:
    try:
        send()
        return Outcome("sent", channel)
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
