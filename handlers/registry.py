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
A key registered twice raises :class:`DuplicateKey` at import: two features
claiming one word (or one fallback priority) would otherwise decide silently
by import order.
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


class RegistryError(ValueError):
    """A registration refused at import."""


class DuplicateKey(RegistryError):
    """A registry key claimed twice."""


def put(table: dict, key: Any, value: Any, *, what: str = "key") -> None:
    """``table[key] = value``, refusing a key already taken by something else."""
    held = table.get(key)
    if held is not None and held is not value:
        raise DuplicateKey(f"{what} {key!r} is already registered by {_name(held)}, not {_name(value)}")
    table[key] = value


def _name(obj: Any) -> str:
    return f"{getattr(obj, '__module__', '?')}.{getattr(obj, '__qualname__', repr(obj))}"


def _into(table: dict, keys: tuple[str, ...], what: str):
    def register(fn: Handler) -> Handler:
        for key in keys:
            put(table, key, fn, what=what)
        return fn
    return register


def on(*keys: str):
    """Handle inbound messages or events by key (``text``, ``image``, ``event.subscribe``)."""
    return _into(ON, keys, "inbound key")


def click(*keys: str):
    """Handle a menu CLICK by its EventKey."""
    return _into(CLICKS, keys, "menu key")


def keyword(*words: str):
    """Whole-message commands; a word that normalises to "" would catch punctuation-only texts."""
    keys = tuple(normalize(w) for w in words)
    if not all(keys):
        raise RegistryError(f"keyword {words!r}: a keyword must keep a letter once normalised")
    return _into(KEYWORDS, keys, "keyword")


def flow(name: str):
    """Continue the active conversation whose flow is ``name``."""
    return _into(FLOWS, (name,), "flow")


def fallback(priority: int):
    """Free text nobody claimed, tried by ascending priority (each priority once)."""
    def register(fn: Handler) -> Handler:
        put(dict(FALLBACKS), priority, fn, what="fallback priority")  # raises if another holds it
        if (priority, fn) not in FALLBACKS:
            FALLBACKS.append((priority, fn))
            FALLBACKS.sort(key=lambda item: item[0])
        return fn
    return register


def probe(name: str):
    """Register ``fn() -> scalar subquery`` correlated on ``models.Resident``."""
    def register(fn: Callable[[], Any]) -> Callable[[], Any]:
        put(PROBES, name, fn, what="probe")
        return fn
    return register


_STRIP = " \t\r\n　。.!！?？~～"


def normalize(text: str) -> str:
    """Lower-cased, trimmed of blanks and final punctuation: how keywords are compared."""
    return text.strip(_STRIP).lower()
