"""Registries keyed by type: how a feature plugs into the chat.

- ``on("text")``, ``on("event.subscribe")``: by inbound key.
- ``click("BIND")``: by the EventKey of a menu CLICK.
- ``keyword("绑定", "bind")``: whole-message commands, tried before anything else.
- ``flow("binding")``: continues an active :class:`models.Conversation`.
- ``fallback(priority)``: free text nobody else took (the FAQ registers here).
- ``probe("complaint.need_info")``: a correlated scalar subquery on
  ``models.Resident`` that the gateway reads in the same statement as the
  resident, so a handler that needs one fact per message costs no round trip
  (read it with ``ctx.prefetched``).

A handler takes ``(inbound, ctx)`` and returns a Reply, or None to pass.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from handlers.replies import Reply

Handler = Callable[..., Optional[Reply]]

ON: dict[str, Handler] = {}
CLICKS: dict[str, Handler] = {}
KEYWORDS: dict[str, Handler] = {}
FLOWS: dict[str, Handler] = {}
FALLBACKS: list[tuple[int, Handler]] = []
PROBES: dict[str, Callable[[], Any]] = {}


def _into(table: dict, keys: tuple[str, ...]):
    def register(fn: Handler) -> Handler:
        for key in keys:
            table[key] = fn
        return fn
    return register


def on(*keys: str):
    return _into(ON, keys)


def click(*keys: str):
    return _into(CLICKS, keys)


def keyword(*words: str):
    return _into(KEYWORDS, tuple(normalize(w) for w in words))


def flow(name: str):
    return _into(FLOWS, (name,))


def fallback(priority: int):
    def register(fn: Handler) -> Handler:
        FALLBACKS.append((priority, fn))
        FALLBACKS.sort(key=lambda item: item[0])
        return fn
    return register


def probe(name: str):
    """Register ``fn() -> scalar subquery`` correlated on ``models.Resident``."""
    def register(fn: Callable[[], Any]) -> Callable[[], Any]:
        PROBES[name] = fn
        return fn
    return register


_STRIP = " \t\r\n　。.!！?？~～"


def normalize(text: str) -> str:
    """Lower-cased, trimmed of blanks and final punctuation: how keywords are compared."""
    return text.strip(_STRIP).lower()
