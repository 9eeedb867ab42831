"""Okapi BM25 over character bigrams of each entry's whole text (question, alternatives, answer).

The phrasing scores of ``index`` compare a question with one phrasing at a
time.  A FAQ imported without alternatives has one phrasing per entry, and
then most of what an entry can answer is only in its answer: BM25 over the
entry's whole text is the classic signal for that, needs no word list and
learns its weights (idf, lengths) from the FAQ it is given.  Character bigrams
survive typos in one character and need no segmentation of dialect.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

K1 = 1.2
B = 0.75


def bigrams(text: str) -> list[str]:
    """Overlapping character pairs within each run of text (spaces and | split runs)."""
    out = []
    for run in text.replace("|", " ").split():
        out += [run[i:i + 2] for i in range(len(run) - 1)] if len(run) > 1 else [run]
    return out


@dataclass
class Table:
    """Per bigram the entries holding it and their BM25 term weights (idf × saturated tf)."""

    size: int
    postings: dict[str, tuple[np.ndarray, np.ndarray]]
    idf: dict[str, float]

    @classmethod
    def build(cls, texts: list[str]) -> "Table":
        counts = [Counter(bigrams(t)) for t in texts]
        lengths = np.array([sum(c.values()) for c in counts], dtype=float)
        mean = lengths.mean() if len(lengths) else 1.0
        where: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for pos, c in enumerate(counts):
            norm = K1 * (1 - B + B * lengths[pos] / (mean or 1.0))
            for gram, tf in c.items():
                where[gram].append((pos, tf * (K1 + 1) / (tf + norm)))
        n = len(texts)
        idf = {g: math.log(1 + (n - len(w) + 0.5) / (len(w) + 0.5)) for g, w in where.items()}
        postings = {g: (np.array([p for p, _ in w], dtype=np.int32), np.array([s for _, s in w]) * idf[g])
                    for g, w in where.items()}
        return cls(n, postings, idf)

    def scores(self, text: str) -> np.ndarray:
        """Per entry, its BM25 score for ``text`` divided by the most any entry could score
        (every bigram of the question, seen in the FAQ or not, matched at saturation): in [0, 1)."""
        asked = list(dict.fromkeys(bigrams(text)))
        grams = [g for g in asked if g in self.postings]
        if not grams or not self.size:
            return np.zeros(self.size)
        positions = np.concatenate([self.postings[g][0] for g in grams])
        weights = np.concatenate([self.postings[g][1] for g in grams])
        unseen = math.log(1 + (self.size + 0.5) / 0.5)  # a bigram the FAQ never uses weighs the most
        ceiling = sum(self.idf.get(g, unseen) for g in asked) * (K1 + 1)
        return np.bincount(positions, weights=weights, minlength=self.size) / ceiling
