"""An in-memory index of FAQ entries and the similarity of a question to each.

Each phrasing (the question and every alternative) and each answer is a unit
with weighted features (type weight × idf over entries).  For a resident's
question Q and a phrasing P, with ``overlap`` the weight they share:

- ``q_cover`` = overlap / weight(Q): how much of what was asked is explained;
- ``p_cover`` = overlap / weight(P): how much of the phrasing was asked about;

the phrasing score is their F-measure leaning on ``q_cover``, and the entry's
score adds a little of how much of Q its answer covers.  Scores lie in [0, 1]
whatever the size of the FAQ, which is what lets one threshold decide
"confident / ambiguous / no match" (see ``decide``).  Features never seen in
the FAQ get the highest idf, so off-topic words pull ``q_cover`` down.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from handlers.faq.features import features
from handlers.faq.text import normalize

BETA2 = 2.0  # q_cover counts twice as much as p_cover
ANSWER_SHARE = 0.2  # weight of the answer's coverage in an entry's score


@lru_cache(maxsize=65536)
def text_features(text: str) -> dict[str, float]:
    """Memoised: a rebuild after one edit only analyses the changed texts."""
    return features(normalize(text))


@dataclass(frozen=True)
class Doc:
    """What the index needs of an entry."""

    entry_id: int
    question: str
    alternatives: tuple[str, ...] = ()
    answer: str = ""
    category: str = ""


@dataclass(frozen=True)
class Candidate:
    entry_id: int
    question: str
    score: float
    matched: str = ""  # the phrasing that matched best

    def as_dict(self) -> dict:
        return {"entry_id": self.entry_id, "question": self.question, "score": round(self.score, 3)}


@dataclass
class _Unit:
    entry: int  # position in Index.docs
    text: str
    feats: dict[str, float]
    norm: float = 0.0


@dataclass
class Index:
    docs: list[Doc]
    phrasings: list[_Unit] = field(default_factory=list)
    answers: list[_Unit] = field(default_factory=list)
    idf: dict[str, float] = field(default_factory=dict)
    unseen_idf: float = 1.0
    postings: dict[str, list[int]] = field(default_factory=dict)  # feature → phrasing positions
    answer_postings: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, docs: list[Doc]) -> "Index":
        index = cls(docs=list(docs))
        for pos, doc in enumerate(index.docs):
            for phrasing in dict.fromkeys((doc.question, *doc.alternatives)):
                if phrasing.strip():
                    index.phrasings.append(_Unit(pos, phrasing, text_features(phrasing)))
            index.answers.append(_Unit(pos, doc.answer, text_features(doc.answer)))
        index._weigh()
        return index

    def _weigh(self) -> None:
        df: dict[str, set[int]] = defaultdict(set)
        for unit in (*self.phrasings, *self.answers):
            for feat in unit.feats:
                df[feat].add(unit.entry)
        n = len(self.docs)
        self.idf = {feat: math.log((n + 1) / (len(entries) + 0.5)) for feat, entries in df.items()}
        self.unseen_idf = math.log((n + 1) / 0.5)
        for units, postings in ((self.phrasings, self.postings), (self.answers, self.answer_postings)):
            for pos, unit in enumerate(units):
                unit.feats = {f: w * self.idf[f] for f, w in unit.feats.items()}
                unit.norm = sum(unit.feats.values()) or 1.0
                for feat in unit.feats:
                    postings.setdefault(feat, []).append(pos)

    def weigh_query(self, question: str) -> dict[str, float]:
        return {f: w * self.idf.get(f, self.unseen_idf) for f, w in features(normalize(question)).items()}

    def search(self, question: str, limit: int = 5) -> list[Candidate]:
        """The best entries for ``question``, best first, scores in [0, 1]."""
        query = self.weigh_query(question)
        total = sum(query.values())
        if not total or not self.docs:
            return []
        phrasing_best = self._best_phrasings(query, total)
        answer_cover = self._answer_cover(query, total)
        scored = []
        for entry, (score, unit) in phrasing_best.items():
            scored.append((score * (1 - ANSWER_SHARE) + ANSWER_SHARE * answer_cover.get(entry, 0.0), entry, unit))
        for entry, cover in answer_cover.items():
            if entry not in phrasing_best:
                scored.append((ANSWER_SHARE * cover, entry, None))
        scored.sort(key=lambda item: -item[0])
        return [Candidate(self.docs[e].entry_id, self.docs[e].question, s, u.text if u else "")
                for s, e, u in scored[:limit]]

    def _best_phrasings(self, query: dict[str, float], total: float) -> dict[int, tuple[float, _Unit]]:
        overlap: dict[int, float] = defaultdict(float)
        for feat, weight in query.items():
            for pos in self.postings.get(feat, ()):
                overlap[pos] += weight
        best: dict[int, tuple[float, _Unit]] = {}
        for pos, shared in overlap.items():
            unit = self.phrasings[pos]
            q_cover, p_cover = shared / total, min(shared / unit.norm, 1.0)
            score = (1 + BETA2) * q_cover * p_cover / (BETA2 * p_cover + q_cover)
            if score > best.get(unit.entry, (-1.0, None))[0]:
                best[unit.entry] = (score, unit)
        return best

    def _answer_cover(self, query: dict[str, float], total: float) -> dict[int, float]:
        cover: dict[int, float] = defaultdict(float)
        for feat, weight in query.items():
            for pos in self.answer_postings.get(feat, ()):
                cover[self.answers[pos].entry] += weight / total
        return cover
