"""A resident's place in a multi-step dialogue, stored in ``models.Conversation``."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from handlers.context import Context
from models import Conversation

DEFAULT_TTL = timedelta(hours=24)


def current(ctx: Context) -> Conversation | None:
    """The active conversation, or None when there is none or it has expired."""
    if "conversation" in ctx.prefetched:  # read with the resident (once: later calls see any change)
        conv = ctx.prefetched.pop("conversation")
    else:
        conv = ctx.session.get(Conversation, ctx.openid)
    if conv is None:
        return None
    if conv.expires_at is not None and conv.expires_at <= ctx.now:
        ctx.session.delete(conv)
        ctx.session.flush()
        return None
    return conv


def start(ctx: Context, flow: str, state: dict[str, Any] | None = None,
          ttl: timedelta = DEFAULT_TTL) -> Conversation:
    """Begin (or restart) ``flow`` for the resident; replaces any other flow."""
    ctx.prefetched.pop("conversation", None)
    conv = ctx.session.get(Conversation, ctx.openid)
    if conv is None:
        conv = Conversation(openid=ctx.openid, flow=flow)
    conv.flow, conv.state = flow, dict(state or {})
    conv.updated_at, conv.expires_at = ctx.now, ctx.now + ttl
    ctx.session.add(conv)
    ctx.session.flush()
    return conv


def save(ctx: Context, conv: Conversation, state: dict[str, Any], ttl: timedelta = DEFAULT_TTL) -> None:
    """Store a new state (a fresh dict, so the JSON column sees the change)."""
    conv.state = dict(state)
    conv.updated_at, conv.expires_at = ctx.now, ctx.now + ttl
    ctx.session.add(conv)
    ctx.session.flush()


def end(ctx: Context) -> None:
    ctx.prefetched.pop("conversation", None)
    conv = ctx.session.get(Conversation, ctx.openid)
    if conv is not None:
        ctx.session.delete(conv)
        ctx.session.flush()
