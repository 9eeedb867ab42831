"""Is a question about what an entry says at all?  Signals against a match.

A question can share one strong word with an entry and still be about
something else: "怎么交电费" meets "电梯电费谁出" on 电费.  Two signals, both
per entry, discount such matches (``Index.search`` applies them):

- ``offtopic``: words of other errands (data/offtopic.txt: bills, pensions,
  household registration, schools...) that the question uses and the entry's
  text does not;
- ``coverage``: the share of the question's content words (weighted by idf) that
  the entry's text contains at all; words the FAQ never uses count fully.
"""
from __future__ import annotations

import re
from functools import lru_cache

from handlers.faq.features import content_words, pinyin_of
from handlers.faq.text import data_lines, normalize

OFFTOPIC_FACTOR = 0.3  # an entry's score when the question names an errand the entry never mentions
OFFTOPIC_SHARE = 4.0  # ... scaled by how much of the question those words are (a story around a question)
COVER_FLOOR = 0.7  # an entry's score is scaled from this (nothing covered) to 1 (all covered)


@lru_cache(maxsize=1)
def _offtopic_words() -> tuple[str, ...]:
    words = {normalize(w) for line in data_lines("offtopic.txt") for w in line.split("|")[1:] if w.strip()}
    return tuple(sorted((w for w in words if w), key=len, reverse=True))


@lru_cache(maxsize=1)
def _offtopic_pattern() -> re.Pattern | None:
    words = _offtopic_words()
    return re.compile("|".join(re.escape(w) for w in words)) if words else None


def offtopic_terms(normalized: str) -> tuple[str, ...]:
    """Words of other errands in a normalised question."""
    pattern = _offtopic_pattern()
    return tuple(dict.fromkeys(pattern.findall(normalized))) if pattern else ()


def own_errands(texts: list[str]) -> frozenset[str]:
    """The errand words (``offtopic.txt``) that the FAQ's own texts use: for this FAQ they are
    its topic, not another errand (a property FAQ that answers about pets keeps 宠物)."""
    whole = " | ".join(texts)
    return frozenset(w for w in _offtopic_words() if w in whole)


def entry_text(question: str, alternatives: tuple[str, ...], answer: str) -> tuple[str, str]:
    """What an entry talks about, normalised, and its pinyin (typos such as 补帖 still count)."""
    text = " | ".join(normalize(t) for t in (question, *alternatives, answer) if t)
    return text, spell(text)


def spell(text: str) -> str:
    return " " + " ".join(pinyin_of(ch) for ch in text) + " "


class Signals:
    """What the discount needs of one question, computed once per search."""

    def __init__(self, normalized: str, idf: dict[str, float], unseen_idf: float,
                 known: frozenset[str] = frozenset()):
        self.terms = tuple(t for t in offtopic_terms(normalized) if t not in known)
        self.words = [(word, spell(word)) for word, _, _ in content_words(normalized)]
        self.weights = [idf.get(key, unseen_idf) * share for _, key, share in content_words(normalized)]
        self.total = sum(self.weights)

    def factor(self, text: str, covered: float) -> float:
        """In (0, 1] for an entry's score: 1 when the entry's text covers the question
        (``covered``: the first of ``coverage``)."""
        factor = 1.0
        missing = [term for term in self.terms if term not in text]
        if missing:
            share = 1.0  # without weighed content words the errand is all there is
            if self.total:
                share = sum(w for (word, _), w in zip(self.words, self.weights)
                            if any(word in term or term in word for term in missing)) / self.total
            factor *= 1 - (1 - OFFTOPIC_FACTOR) * min(1.0, OFFTOPIC_SHARE * share)
        if self.total:
            factor *= COVER_FLOOR + (1 - COVER_FLOOR) * covered
        return factor

    def coverage(self, text: str, pinyin: str) -> tuple[float, float, int]:
        """(the share of the question's content weight the entry's text has, the weight of the
        heaviest content word it lacks, how many it lacks); (1, 0, 0) without content words."""
        if not self.total:
            return 1.0, 0.0, 0
        missing = [w for (word, py), w in zip(self.words, self.weights) if word not in text and py not in pinyin]
        return 1 - sum(missing) / self.total, max(missing, default=0.0), len(missing)
