"""What a question asks for (conditions, process, cost, time, place, who...), whatever its topic.

Entries of one topic differ mostly in this: 申请条件 and 申请流程 share 申请 and
the topic, and the words of asking (条件, 怎么, 多少钱, 哪里, 谁) are function
words that the word scores weigh little.  The kinds are general Chinese
(``data/intents.txt``); an entry's kinds are those of its question and
alternatives, read at import.  The learned ranking (``learned``) reads, per
candidate, the share of the question's kinds the entry asks about too and
whether the two ask for different kinds only.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from handlers.faq.text import canonical, data_lines


@lru_cache(maxsize=1)
def _kinds() -> tuple[tuple[str, re.Pattern], ...]:
    out = []
    for line in data_lines("intents.txt"):
        name, *words = [w.strip() for w in line.split("|") if w.strip()]
        words = sorted({canonical(w.lower()) for w in words}, key=len, reverse=True)
        out.append((name, re.compile("|".join(re.escape(w) for w in words))))
    return tuple(out)


def kinds(normalized: str) -> frozenset[str]:
    """The kinds of asking in a normalised text."""
    return frozenset(name for name, pattern in _kinds() if pattern.search(normalized))


def agreement(asked: frozenset[str], entries: list[frozenset[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Per entry (its kinds), (the share of the question's kinds it has too, 1 when both ask
    for something and for nothing in common)."""
    if not asked:
        return np.zeros(len(entries)), np.zeros(len(entries))
    shared = np.array([len(asked & own) / len(asked) for own in entries])
    clash = np.array([float(bool(own) and not asked & own) for own in entries])
    return shared, clash
