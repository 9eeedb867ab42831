"""What the app accepts from a URL: bounded integers and local redirect targets.

One home for both, so every route and every ``next=`` follows the same rule
(issue 17 items 12 and 13).  Ids are PostgreSQL ``integer`` columns, so any
number past ``MAX_ID`` names nothing: a path segment that large is a 404 (the
route does not match), a query parameter that large or not a plain ASCII
number is a 400.  Before, such numbers reached the database and came back as
500s (SQLite cannot bind past 2**63, PostgreSQL overflows its integer).
"""
from __future__ import annotations

from typing import Mapping
from urllib.parse import urlsplit

from flask import Flask, abort, request
from werkzeug.routing.converters import IntegerConverter

MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` with ``max=MAX_ID`` by default: a larger number does not match (404)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app: Flask) -> None:
    """Replace the ``int`` converter; call before any blueprint is registered."""
    app.url_map.converters["int"] = BoundedIntConverter


def parse_int(text: str | None, *, maximum: int = MAX_ID, signed: bool = False) -> int | None:
    """A plain ASCII number within ``0..maximum`` (``-maximum..`` when signed), else None.

    ``str.isdigit`` alone lets ``"²"`` and ``"①"`` through to ``int()``, which raises.
    """
    text = (text or "").strip()
    sign = -1 if signed and text.startswith("-") else 1
    digits = text[1:] if sign < 0 else text
    if not digits or not (digits.isascii() and digits.isdigit()) or len(digits) > len(str(maximum)):
        return None
    value = int(digits)
    return sign * value if value <= maximum else None


def int_param(name: str, source: Mapping[str, str] | None = None, *, maximum: int = MAX_ID) -> int | None:
    """The named argument as an int; None when absent or empty; 400 when it is anything else."""
    raw = (request.args if source is None else source).get(name, "")
    if raw == "":
        return None
    value = parse_int(raw, maximum=maximum)
    if value is None:
        abort(400)
    return value


def is_local_path(target: str | None) -> bool:
    """A path on this site, which no browser reads as another host.

    Browsers turn ``\\`` into ``/`` and drop tabs and newlines, so ``/\\evil``
    and ``/\\t/evil`` are ``//evil``: any backslash or control character is refused.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, default: str) -> str:
    """``target`` when it is a local path, else ``default`` (no open redirect)."""
    return target if is_local_path(target) else default
