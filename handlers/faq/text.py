"""Normalising what residents type or say, so that equal meanings look equal.

Full/half width, traditional characters, punctuation, filler words
(请问, 我想问一下, 那个...), sentence particles (呢, 吗, 啊...) and synonyms
(装电梯 → 加装电梯, 维修基金 → 维修资金...) are all data files in ``data/``
that a community can edit without touching code.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
_PUNCT = re.compile(r"[^\w%]+")


def data_lines(name: str) -> list[str]:
    """Non-blank, non-comment lines of ``data/<name>``."""
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def traditional_map() -> dict[int, str]:
    pairs = [pair for line in data_lines("traditional.txt") for pair in line.split()]
    return {ord(pair[0]): pair[1] for pair in pairs if len(pair) == 2}


@lru_cache(maxsize=1)
def synonym_groups() -> list[list[str]]:
    return [[w.strip() for w in line.split("|") if w.strip()] for line in data_lines("synonyms.txt")]


@lru_cache(maxsize=1)
def _synonym_table() -> tuple[re.Pattern, dict[str, str]]:
    canonical: dict[str, str] = {}
    for group in synonym_groups():
        for word in group:
            canonical.setdefault(word.lower(), group[0].lower())
    # Longest first: at each position the longest known phrase wins (加装电梯 before 装电梯).
    words = sorted(canonical, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words)), canonical


@lru_cache(maxsize=1)
def _filler_pattern() -> tuple[re.Pattern, frozenset[str]]:
    """Fillers and particles to drop, and the words kept whole though they contain a particle."""
    lines = data_lines("particles.txt")
    keep = frozenset(w for line in lines if line.startswith("keep:") for w in line[len("keep:"):].split())
    particles = "".join(line for line in lines if not line.startswith("keep:"))
    fillers = sorted(data_lines("fillers.txt"), key=len, reverse=True)
    # Kept words first: at a position where one starts, it wins over the particle inside it.
    words = sorted(keep, key=len, reverse=True) + fillers
    return re.compile("|".join([re.escape(w) for w in words] + [f"[{re.escape(particles)}]"])), keep


def clean(text: str) -> str:
    """Width, case, traditional characters and punctuation (kept as single spaces)."""
    text = unicodedata.normalize("NFKC", text or "").lower().translate(traditional_map())
    return " ".join(_PUNCT.sub(" ", text).split())


def canonical(text: str) -> str:
    """Synonyms replaced by their group's first word."""
    pattern, table = _synonym_table()
    for _ in range(2):  # twice: a replacement can form a longer variant (冇物业 → 没有物业 → 无物业)
        text = pattern.sub(lambda m: table[m.group(0)], text)
    return text


def strip_fillers(text: str) -> str:
    pattern, keep = _filler_pattern()
    stripped = " ".join(pattern.sub(lambda m: m.group(0) if m.group(0) in keep else " ", text).split())
    return stripped or text  # "你好啊" alone stays as it is: small talk looks at it


def normalize(text: str) -> str:
    """The form every text is matched in: cleaned, fillers removed, synonyms unified."""
    return canonical(strip_fillers(clean(text)))
