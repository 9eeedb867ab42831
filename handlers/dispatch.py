"""Route one inbound message to the handler that should answer it.

Order: whole-message keywords (menu words) → the active conversation's flow →
the handler registered for the inbound key → free-text fallbacks (FAQ) →
a kind reply that lists what the account can do.  Never silence.
"""
from __future__ import annotations

from handlers import conversation, registry, replies
from handlers.context import Context
from handlers.inbound import Event, Inbound


def dispatch(inbound: Inbound, ctx: Context) -> tuple[replies.Reply, str]:
    """Return the reply and the name of the handler that produced it (for the log)."""
    for name, handler in candidates(inbound, ctx):
        reply = handler(inbound, ctx)
        if reply is not None:
            return reply, name
    return default_reply(inbound, ctx), "default"


def candidates(inbound: Inbound, ctx: Context):
    if inbound.text:
        handler = registry.KEYWORDS.get(registry.normalize(inbound.text))
        if handler:
            yield f"keyword:{handler.__module__}", handler
    conv = conversation.current(ctx)
    if conv is not None and conv.flow in registry.FLOWS:
        yield f"flow:{conv.flow}", registry.FLOWS[conv.flow]
    handler = registry.ON.get(inbound.key)
    if handler:
        yield f"on:{inbound.key}", handler
    if inbound.text:
        for _, fallback in registry.FALLBACKS:
            yield f"fallback:{fallback.__module__}", fallback


def default_reply(inbound: Inbound, ctx: Context) -> replies.Reply:
    """Events nobody handles are acknowledged silently; messages get the capability list."""
    if isinstance(inbound, Event):
        return replies.SUCCESS
    return ctx.say("wechat/capabilities.txt", resident=ctx.resident, kind=inbound.kind)
