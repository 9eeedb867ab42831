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
from typing import Any

import numpy as np

from handlers.faq import bm25, intent, learned, scope, semantic, sentence
from handlers.faq.features import content_words, features
from handlers.faq.text import normalize

BETA2 = 2.0  # q_cover counts twice as much as p_cover
ANSWER_SHARE = 0.2  # weight of the answer's coverage in an entry's score
UNSEEN_FACTOR = 1.0  # idf of a feature the FAQ never uses, relative to the rarest one
RESCORED = 20  # how many of the best entries the scope discount looks at
FULLTEXT_PICKS = 3  # the entries BM25 over the whole text ranks best are always among the candidates
# (a FAQ with long answers and no alternatives: the phrasing scores may leave the right one out of the ten)


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
    article_id: int | None = None

    @property
    def phrasings(self) -> tuple[str, ...]:
        """The question and its alternatives, each once, blank ones left out."""
        return tuple(dict.fromkeys((self.question, *(a for a in self.alternatives if a.strip()))))


@dataclass(frozen=True)
class Candidate:
    entry_id: int
    question: str
    score: float
    matched: str = ""  # the phrasing that matched best
    in_scope: float | None = None  # learned: the chance the question is about the FAQ at all (None: hand-set score)

    def as_dict(self) -> dict:
        return {"entry_id": self.entry_id, "question": self.question, "score": round(self.score, 3)}


@dataclass
class Index:
    """Built once per FAQ version; ``search`` is a few numpy operations over posting arrays."""

    docs: list[Doc]
    phrasings: list[str] = field(default_factory=list)
    idf: dict[str, float] = field(default_factory=dict)
    unseen_idf: float = 1.0
    postings: dict[str, np.ndarray] = field(default_factory=dict)  # feature → phrasing positions
    answer_postings: dict[str, np.ndarray] = field(default_factory=dict)  # feature → doc positions
    phrasing_entry: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    phrasing_norm: np.ndarray = field(default_factory=lambda: np.zeros(0))
    starts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # first phrasing per doc
    texts: list[tuple[str, str]] = field(default_factory=list)  # per doc: normalised text and its pinyin
    vectors: np.ndarray | None = None  # per phrasing: its unit word-vector sum (None: lexical only)
    sentences: np.ndarray | None = None  # per phrasing: its sentence embedding (None: no encoder)
    answer_sentences: np.ndarray | None = None  # per sentence of an answer: its embedding
    part_entry: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))  # ... and its doc
    outside: np.ndarray | None = None  # embeddings of questions known to be outside the FAQ
    fulltext: bm25.Table | None = None  # BM25 over each entry's whole text
    intents: list[frozenset[str]] = field(default_factory=list)  # per doc: what its phrasings ask for
    errands: frozenset[str] = frozenset()  # errand words the FAQ's own texts use (``scope.own_errands``)
    adapter: sentence.Adapter = sentence.IDENTITY  # the learned turn of a question's embedding (``sentence.adapter``)
    model: learned.Model | None = None  # the second look (None: hand-set scores)
    by_id: dict[int, Doc] = field(default_factory=dict, repr=False)
    memo: dict[str, Any] = field(default_factory=dict, repr=False)  # see decide.understand

    @classmethod
    def build(cls, docs: list[Doc], outside: list[str] | None = None, marked: list[str] = ()) -> "Index":
        """``outside``: questions known to be outside some FAQ (default: ``learned.outside_questions``),
        kept unless the FAQ's own texts come close to one; ``marked``: ones admins marked outside this FAQ."""
        index = cls(docs=list(docs))
        index.by_id = {doc.entry_id: doc for doc in index.docs}
        phrasing_feats, entries, starts = [], [], []
        for pos, doc in enumerate(index.docs):
            starts.append(len(entries))
            for phrasing in doc.phrasings:
                index.phrasings.append(phrasing)
                phrasing_feats.append(text_features(phrasing))
                entries.append(pos)
        answer_feats = [text_features(doc.answer) for doc in index.docs]
        index.intents = [frozenset().union(*(intent.kinds(normalize(p)) for p in (d.question, *d.alternatives)))
                         for d in index.docs]
        index.texts = [entry_text(doc) for doc in index.docs]
        index.fulltext = bm25.Table.build([text for text, _ in index.texts])
        index.errands = scope.own_errands([text for text, _ in index.texts])
        index._weigh(phrasing_feats, answer_feats, entries)
        index.phrasing_entry = np.array(entries, dtype=np.int32)
        index.starts = np.array(starts, dtype=np.int64)
        index.vectors = semantic.matrix([normalize(p) for p in index.phrasings])
        index.sentences = sentence.matrix(index.phrasings)
        parts = [(pos, part) for pos, doc in enumerate(index.docs) for part in sentence.parts(doc.answer)]
        index.part_entry = np.array([pos for pos, _ in parts], dtype=np.int32)
        index.answer_sentences = sentence.matrix([part for _, part in parts])
        if index.vectors is not None and index.sentences is not None:
            index.adapter = sentence.adapter()
            index.model = learned.model()
            bank = sentence.matrix(learned.outside_questions() if outside is None else outside)
            bank = learned.kept_outside(bank, index.sentences, index.answer_sentences)
            index.outside = np.vstack([bank, sentence.matrix(list(marked))]) if marked else bank
        return index

    def _weigh(self, phrasing_feats: list[dict], answer_feats: list[dict], entries: list[int]) -> None:
        df: dict[str, set[int]] = defaultdict(set)
        for feats, entry in (*zip(phrasing_feats, entries), *((f, i) for i, f in enumerate(answer_feats))):
            for feat in feats:
                df[feat].add(entry)
        n = len(self.docs)
        self.idf = {feat: math.log((n + 1) / (len(where) + 0.5)) for feat, where in df.items()}
        self.unseen_idf = UNSEEN_FACTOR * math.log((n + 1) / 0.5)
        self.phrasing_norm = np.array([sum(w * self.idf[f] for f, w in feats.items()) or 1.0
                                       for feats in phrasing_feats])
        self.postings = _postings(phrasing_feats)
        self.answer_postings = _postings(answer_feats)

    def weigh_query(self, question: str) -> dict[str, float]:
        return {f: w * self.idf.get(f, self.unseen_idf) for f, w in features(normalize(question)).items()}

    def search(self, question: str, limit: int = 5) -> list[Candidate]:
        """The best entries for ``question``, best first, scores in [0, 1]: with the learned
        model the chance that the entry answers the question, else the hand-set score."""
        found = self.evidence(question, max(limit, learned.TOP))
        if found is None:
            return []
        evidence, phrasing_score = found
        if self.model is None:
            return [self._candidate(int(e), float(s), phrasing_score)
                    for e, s in zip(evidence.entries[:limit], evidence.final)]
        chances, in_scope = self.model.judge(evidence)
        return [self._candidate(int(evidence.entries[i]), in_scope * float(chances[i]), phrasing_score, in_scope)
                for i in np.argsort(-chances, kind="stable")[:limit]]

    def evidence(self, question: str, size: int = learned.TOP) -> tuple[learned.Evidence, np.ndarray] | None:
        """The ``size`` best entries by the hand-set score and every signal about them (what
        the learned model reads), with each phrasing's word score; None without a candidate."""
        normalized = normalize(question)
        query = {f: w * self.idf.get(f, self.unseen_idf) for f, w in features(normalized).items()}
        total = sum(query.values())
        if not total or not self.docs:
            return None
        phrasing_score, q_cover = self._phrasing_scores(query, total)
        best = np.maximum.reduceat(phrasing_score, self.starts)
        answer_cover = _overlap(query, self.answer_postings, len(self.docs)) / total
        lexical = score = best * (1 - ANSWER_SHARE) + ANSWER_SHARE * answer_cover
        meaning = semantic.meaning(self.vectors, self.starts, normalized)
        score = meaning.blend(score) if meaning is not None else score
        words = len(content_words(normalized))
        asked = sentence.embed(question) if self.sentences is not None else None
        cosines = sentence.entry_cosines(self.sentences, self.phrasing_entry, asked, score)
        score = sentence.blend(score, cosines, words)
        signals = scope.Signals(normalized, self.idf, self.unseen_idf, self.errands)
        fulltext = self.fulltext.scores(normalized)
        judged, ranked = self._candidates(score, signals, fulltext, size)
        if not ranked:
            return None
        entries = np.array(ranked, dtype=np.int64)
        vectors = meaning.cosines if meaning is not None else np.zeros(len(self.docs))
        cosines = cosines if cosines is not None else np.full(len(self.docs), sentence.FLOOR)
        coverage = np.array([judged[e][1] for e in ranked]).reshape(-1, 3)
        scope_factor = np.array([judged[e][0] for e in ranked])
        return learned.Evidence(
            entries=entries, final=score[entries] * scope_factor, lexical=lexical[entries], phrasing=best[entries],
            asked=np.maximum.reduceat(q_cover, self.starts)[entries], answer_words=answer_cover[entries],
            word_vectors=vectors[entries], sentence=cosines[entries],
            scope_factor=scope_factor, **self._extra(question, normalized, asked, entries, fulltext),
            covered=coverage[:, 0], uncovered_max=coverage[:, 1], uncovered=coverage[:, 2],
            words=words, chars=len(normalized.replace(" ", "")), errand=bool(signals.terms),
            unseen=sum(w for f, w in query.items() if f not in self.idf) / total,
            best_sentence=float(cosines.max()), best_word_vectors=float(vectors.max()),
            phrasings_per_entry=math.log(len(self.phrasings) / len(self.docs)),
            outside=learned.nearest(self.outside, asked)), phrasing_score

    def _candidates(self, score: np.ndarray, signals: scope.Signals, fulltext: np.ndarray,
                    size: int) -> tuple[dict[int, tuple[float, tuple]], list[int]]:
        """The ``size`` best entries by the hand-set score after the scope discount, the
        ``FULLTEXT_PICKS`` best by BM25 among them (replacing the last), and what ``_scope`` judged."""
        picked = [int(e) for e in _best(fulltext, FULLTEXT_PICKS) if fulltext[e] > 0]
        judged = self._scope(score, signals, size, picked)
        ranked = sorted(judged, key=lambda e: -score[e] * judged[e][0])[:size]
        missing = [e for e in picked if e in judged and e not in ranked]
        if missing:
            ranked = ranked[:size - len(missing)] + missing
        return judged, ranked

    def _scope(self, score: np.ndarray, signals: scope.Signals, size: int,
               also: list[int] = ()) -> dict[int, tuple[float, tuple]]:
        """The scope discount and the coverage (``scope.Signals``) of the best entries (at least
        ``RESCORED``) and of ``also``, those that score at all."""
        judged = {}
        for e in dict.fromkeys([*(int(e) for e in _best(score, max(size, RESCORED))), *also]):
            if score[e] > 0:
                text, pinyin = self.texts[e]
                coverage = signals.coverage(text, pinyin)
                judged[int(e)] = signals.factor(text, coverage[0]), coverage
        return judged

    def _phrasing_scores(self, query: dict[str, float], total: float) -> tuple[np.ndarray, np.ndarray]:
        """Per phrasing, its word score (the F-measure above) and ``q_cover``."""
        shared = _overlap(query, self.postings, len(self.phrasings))
        q_cover, p_cover = shared / total, np.minimum(shared / self.phrasing_norm, 1.0)
        denominator = BETA2 * p_cover + q_cover
        return np.divide((1 + BETA2) * q_cover * p_cover, denominator, out=np.zeros_like(shared),
                         where=denominator > 0), q_cover

    def _extra(self, question: str, normalized: str, asked: np.ndarray | None, entries: np.ndarray,
               fulltext: np.ndarray) -> dict:
        """The answer's sentences, the last clause (plain and adapted), the kinds of asking and BM25
        about the candidates."""
        last = sentence.tail(question)
        tail = asked if last == question or asked is None else sentence.embed(last)
        shared, clash = intent.agreement(intent.kinds(normalized), [self.intents[e] for e in entries])
        return {"answer_sentence": sentence.best_of(self.answer_sentences, self.part_entry, asked, entries),
                "tail_sentence": sentence.best_of(self.sentences, self.phrasing_entry, tail, entries),
                **sentence.adapted(self.adapter, asked, tail, self.sentences, self.phrasing_entry,
                                   self.answer_sentences, self.part_entry, entries),
                "intent_shared": shared, "intent_clash": clash,
                "fulltext": fulltext[entries], "best_fulltext": float(fulltext.max())}

    def _candidate(self, entry: int, score: float, phrasing_score: np.ndarray,
                   in_scope: float | None = None) -> Candidate:
        first = int(self.starts[entry])
        last = int(self.starts[entry + 1]) if entry + 1 < len(self.starts) else len(self.phrasings)
        matched = first + int(np.argmax(phrasing_score[first:last]))
        doc = self.docs[entry]
        return Candidate(doc.entry_id, doc.question, score, self.phrasings[matched] if phrasing_score[matched] else "",
                         in_scope)


@lru_cache(maxsize=65536)
def _entry_text(question: str, alternatives: tuple[str, ...], answer: str) -> tuple[str, str]:
    return scope.entry_text(question, alternatives, answer)


def entry_text(doc: Doc) -> tuple[str, str]:
    return _entry_text(doc.question, doc.alternatives, doc.answer)


def _best(score: np.ndarray, k: int) -> np.ndarray:
    """The positions of the ``k`` highest scores, best first, ties in position order: what a
    stable argsort's first ``k`` are, without sorting them all (2,000 entries: 9 µs, not 90)."""
    if len(score) <= k:
        return np.argsort(-score, kind="stable")
    threshold = np.partition(score, len(score) - k)[len(score) - k]
    candidates = np.flatnonzero(score >= threshold)
    return candidates[np.argsort(-score[candidates], kind="stable")][:k]


def _postings(feature_sets: list[dict]) -> dict[str, np.ndarray]:
    lists: dict[str, list[int]] = defaultdict(list)
    for pos, feats in enumerate(feature_sets):
        for feat in feats:
            lists[feat].append(pos)
    return {feat: np.array(where, dtype=np.int32) for feat, where in lists.items()}


def _overlap(query: dict[str, float], postings: dict[str, np.ndarray], size: int) -> np.ndarray:
    """Σ of the query's weights over the features each unit shares with it."""
    arrays = [(postings[f], w) for f, w in query.items() if f in postings]
    if not arrays:
        return np.zeros(size)
    positions = np.concatenate([a for a, _ in arrays])
    weights = np.repeat([w for _, w in arrays], [len(a) for a, _ in arrays])
    return np.bincount(positions, weights=weights, minlength=size)
