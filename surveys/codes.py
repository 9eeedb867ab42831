"""Codes made from the text a person typed: questions and options get them once, never again.

A code is what exports and conditions join on, so the console never asks for one:
"担心施工扰民" becomes ``dan_xin_shi_gong`` (the first syllables in pinyin), made
unique with ``_2``, ``_3``; text without a Chinese character or a Latin letter to
spell gets the next ``q1`` / ``o1``.  Once given, a code stays: renaming an option
keeps its code (matched by label, then by place), so ballots of every version join.
Only the console's advanced view may change a code by hand.
"""
from __future__ import annotations

import re
from typing import Iterable

from pypinyin import lazy_pinyin

from surveys.definition import CODE

SYLLABLES = 4
MAX_LENGTH = 32
_WORD = re.compile(r"[A-Za-z0-9]+")


def from_text(text: str, taken: Iterable[str], fallback: str) -> str:
    """A new code for ``text`` not in ``taken``; ``fallback`` (``q``/``o``/``r``) numbers it when unspellable."""
    taken = set(taken)
    words = [w.lower() for part in lazy_pinyin(text or "") for w in _WORD.findall(part)][:SYLLABLES]
    base = "_".join(words)[:MAX_LENGTH].strip("_")
    if base and not base[0].isalpha():
        base = f"{fallback}{base}"
    if not base or not CODE.match(base):
        return _numbered(fallback, taken)
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


def _numbered(prefix: str, taken: set[str]) -> str:
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def carry(old: list[dict], labels: list[tuple[str, str]], fallback: str) -> list[dict]:
    """New items from ``(label, group)`` lines, keeping the codes of ``old`` ones.

    An old item keeps its code when its label is still there; a renamed one (a new
    label where an unmatched old item stood) keeps its code too; new items get new codes.
    """
    by_label = {o["label"]: o["code"] for o in old}
    used = {by_label[label] for label, _ in labels if label in by_label}
    items = []
    for place, (label, group) in enumerate(labels):
        code = by_label.get(label)
        if code is None and place < len(old) and old[place]["code"] not in used:
            code = old[place]["code"]  # renamed in place
        if code is None:
            code = from_text(label, used | {o["code"] for o in old}, fallback)
        used.add(code)
        items.append({"code": code, "label": label, **({"group": group} if group else {})})
    return items


def template_code(title: str, taken: Iterable[str]) -> str:
    """A template's code from its title (e.g. ``gai_zao_yi_yuan``), unique among templates."""
    return from_text(title, taken, "survey")
