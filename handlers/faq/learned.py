"""A second look at the best candidates, learned from residents' questions.

The scores of ``index`` blend words, word vectors and sentence meaning with
weights set by hand.  Where the signals disagree (the words favour one entry,
the sentence another; a near-topic question shares strong words with an
entry) no single threshold separates right from wrong.  Two small linear
models, fitted by ``bench/faq/lofo.py --save`` on the development FAQ sets
and stored in ``data/learned.json``, read all the signals of the best ``TOP``
candidates at once:

- ``rank``, a conditional logit over the candidates: the chance that each one
  is the entry the resident means, if any is;
- ``scope``, a logistic model: the chance that the question is about the FAQ
  at all;
- ``chat``, a logistic model over the message's sentence embedding: the chance
  that a message the FAQ has nothing for is small talk ("巴适得板，下回再来问你")
  that the hand-written phrases of ``smalltalk`` do not know.

A candidate's score is then scope × rank, the chance that it answers the
question.  Every feature is a score or a share in the FAQ's own terms (no
entry ids, no words), and the FAQ's density (phrasings per entry: scores run
higher when it knows more ways of asking) is one of them; they are fitted on
seven FAQs by different writers, each with all, 30 % and none of its
alternatives, so that they carry over to a community's own FAQ.
Pure numpy, some tens of microseconds per question.  Without the file, or
without the word vectors or the sentence encoder whose signals they read,
``index`` keeps its hand-set scores.
"""
from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from handlers.faq import sentence

log = logging.getLogger(__name__)

MODEL_FILE = Path(__file__).resolve().parent / "data" / "learned.json"
TOP = 10  # candidates the models look at

# Signals each of which names its own best candidate: how many agree on one is evidence that
# holds whatever the FAQ's wording (a ranking's votes, not its scale).
VOTERS = ("sentence", "fulltext", "word_vectors", "answer_sentence", "phrasing", "answer_words")
ADAPTED = ("adapted", "adapted_tail", "adapted_answer")  # cosines of the adapted question (``sentence.Adapter``)
RANK_FEATURES = ("final", "lexical", "phrasing", "asked", "answer_words", "word_vectors", "sentence",
                 "answer_sentence", "scope_factor", "behind_final", "behind_sentence", "behind_word_vectors",
                 "behind_answer_sentence", "log_rank", "covered", "uncovered_max", "uncovered", "fulltext",
                 "behind_fulltext", *(f"best_by_{name}" for name in VOTERS), "votes",
                 *(f"place_by_{name}" for name in VOTERS), "behind_phrasing", "behind_answer_words", "behind_asked",
                 "intent_shared", "intent_clash", "behind_intent", "tail_sentence", "behind_tail",
                 *(f"sparse_{name}" for name in ("sentence", "answer_sentence", "fulltext", "tail_sentence")),
                 *ADAPTED, *(f"behind_{name}" for name in ADAPTED))
SCOPE_FEATURES = ("top", "second", "gap", "top_sentence", "best_sentence", "best_word_vectors", "words",
                  "log_chars", "errand", "unseen", "top_scope_factor", "top_asked", "top_phrasing",
                  "top_answer_words", "top_word_vectors", "top_covered", "top_uncovered_max", "top_uncovered",
                  "top_answer_sentence", "best_answer_sentence_3", "top_chance", "phrasings_per_entry",
                  "outside_nearest", "outside_top3", "outside_margin", "top_fulltext", "best_fulltext",
                  "top_adapted", "best_adapted")
# the chat model reads the message's sentence embedding, dimension by dimension
CHAT_FEATURES = tuple(f"sentence_{i}" for i in range(sentence.DIM))
OUTSIDE_FILE = MODEL_FILE.with_name("outside.txt")
OUTSIDE_TOP = 3  # known outside questions the scope model reads the cosines of


@dataclass
class Evidence:
    """What the index found for one question: per candidate (best first by ``final``) and overall."""

    entries: np.ndarray  # entry positions in the index
    final: np.ndarray  # the hand-set score after the scope discount
    lexical: np.ndarray  # shared words alone (best phrasing and a little of the answer)
    phrasing: np.ndarray  # the best phrasing's word score
    asked: np.ndarray  # the share of the question the best phrasing explains (q_cover)
    answer_words: np.ndarray  # the share of the question found in the answer
    word_vectors: np.ndarray  # best cosine of averaged word vectors
    sentence: np.ndarray  # best sentence-encoder cosine over the phrasings
    answer_sentence: np.ndarray  # best sentence-encoder cosine over the answer's sentences
    scope_factor: np.ndarray  # the off-topic and coverage discount (``scope``)
    covered: np.ndarray  # the share of the question's content words the entry's text has
    uncovered_max: np.ndarray  # the weight of the heaviest content word it lacks
    uncovered: np.ndarray  # how many content words it lacks
    words: int  # content words in the question
    chars: int
    errand: bool  # words of another errand (``scope.offtopic_terms``)
    unseen: float  # the share of the question's weight in features the FAQ never uses
    best_sentence: float  # over every entry compared
    best_word_vectors: float
    phrasings_per_entry: float  # log of the FAQ's mean: the more ways of asking it knows, the higher scores run
    outside: np.ndarray  # sentence cosines of the ``OUTSIDE_TOP`` nearest questions known to be outside the FAQ
    fulltext: np.ndarray  # BM25 over the entry's whole text (``bm25``), as a share of the most possible
    best_fulltext: float  # over every entry
    intent_shared: np.ndarray  # the share of the question's kinds of asking the entry asks about (``intent``)
    intent_clash: np.ndarray  # 1 when both ask for something and for nothing in common
    tail_sentence: np.ndarray  # best sentence cosine of the question's last clause with the phrasings
    adapted: np.ndarray  # best cosine of the adapted question with the phrasings (``sentence.adapted``)
    adapted_tail: np.ndarray  # ... of its adapted last clause with the phrasings
    adapted_answer: np.ndarray  # ... of the adapted question with the answer's sentences

    def rank_rows(self) -> np.ndarray:
        f = {"final": self.final, "lexical": self.lexical, "phrasing": self.phrasing, "asked": self.asked,
             "answer_words": self.answer_words, "word_vectors": self.word_vectors, "sentence": self.sentence,
             "answer_sentence": self.answer_sentence, "scope_factor": self.scope_factor,
             "behind_final": self.final - self.final[0],
             "behind_sentence": self.sentence - self.sentence.max(),
             "behind_word_vectors": self.word_vectors - self.word_vectors.max(),
             "behind_answer_sentence": self.answer_sentence - self.answer_sentence.max(),
             "log_rank": np.log1p(np.arange(len(self.entries))), "covered": self.covered,
             "uncovered_max": self.uncovered_max, "uncovered": np.minimum(self.uncovered, 4),
             "fulltext": self.fulltext, "behind_fulltext": self.fulltext - self.best_fulltext,
             "intent_shared": self.intent_shared, "intent_clash": self.intent_clash,
             "behind_intent": self.intent_shared - self.intent_shared.max(),
             "tail_sentence": self.tail_sentence, "behind_tail": self.tail_sentence - self.tail_sentence.max(),
             **{name: getattr(self, name) for name in ADAPTED}}
        for name in VOTERS:
            values = np.asarray(getattr(self, name), dtype=np.float64)
            f[f"best_by_{name}"] = (values >= values.max() - 1e-12).astype(np.float64)
            f[f"place_by_{name}"] = np.log1p(np.argsort(np.argsort(-values, kind="stable"), kind="stable"))
        f["votes"] = sum(f[f"best_by_{name}"] for name in VOTERS)
        for name in ("sentence", "answer_sentence", "fulltext", "tail_sentence"):
            # a FAQ with few phrasings per entry leans on other signals than one with many
            f[f"sparse_{name}"] = np.asarray(f[name]) * math.exp(-self.phrasings_per_entry)
        for name in ("phrasing", "answer_words", "asked", *ADAPTED):
            values = np.asarray(getattr(self, name), dtype=np.float64)
            f[f"behind_{name}"] = values - values.max()
        return np.column_stack([np.asarray(f[name], dtype=np.float64) for name in RANK_FEATURES])

    def scope_row(self, top_chance: float) -> np.ndarray:
        second = float(self.final[1]) if len(self.final) > 1 else 0.0
        f = {"top": self.final[0], "second": second, "gap": self.final[0] - second,
             "top_sentence": self.sentence[0], "best_sentence": self.best_sentence,
             "best_word_vectors": self.best_word_vectors, "words": min(self.words, 8),
             "log_chars": math.log(max(self.chars, 1)), "errand": float(self.errand), "unseen": self.unseen,
             "top_scope_factor": self.scope_factor[0], "top_asked": self.asked[0], "top_phrasing": self.phrasing[0],
             "top_answer_words": self.answer_words[0], "top_word_vectors": self.word_vectors[0],
             "top_covered": self.covered[0], "top_uncovered_max": self.uncovered_max[0],
             "top_uncovered": min(self.uncovered[0], 4), "top_answer_sentence": self.answer_sentence[0],
             "best_answer_sentence_3": self.answer_sentence[:3].max(), "top_chance": top_chance,
             "phrasings_per_entry": self.phrasings_per_entry, "outside_nearest": self.outside[0],
             "outside_top3": self.outside.mean(), "outside_margin": self.outside[0] - self.best_sentence,
             "top_fulltext": self.fulltext[0], "best_fulltext": self.best_fulltext,
             "top_adapted": self.adapted[0], "best_adapted": self.adapted.max()}
        return np.array([float(f[name]) for name in SCOPE_FEATURES])


@dataclass(frozen=True)
class Linear:
    """Weights over standardised features."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float = 0.0

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        return ((rows - self.mean) / self.scale) @ self.weights + self.bias

    def as_dict(self) -> dict:
        return {"features": list(self.features), "mean": self.mean.round(6).tolist(),
                "scale": self.scale.round(6).tolist(), "weights": self.weights.round(6).tolist(),
                "bias": round(float(self.bias), 6)}

    @classmethod
    def from_dict(cls, d: dict) -> "Linear":
        return cls(tuple(d["features"]), np.array(d["mean"]), np.array(d["scale"]), np.array(d["weights"]),
                   float(d.get("bias", 0.0)))


def outside_questions() -> list[str]:
    """Questions known to be outside the FAQ (``data/outside.txt``, written by the trainer)."""
    if not OUTSIDE_FILE.is_file():
        log.warning("FAQ: %s is missing; no known outside questions", OUTSIDE_FILE.name)
        return []
    lines = OUTSIDE_FILE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


OWN_COVERED = 0.7  # a known outside question this close to one of the FAQ's own texts is dropped


def kept_outside(bank: np.ndarray | None, *own: np.ndarray | None) -> np.ndarray | None:
    """The rows of ``bank`` (questions known to be outside some FAQ) that the FAQ's own texts
    (``own``: embeddings of its phrasings, of its answers' sentences) do not come close to:
    a question another FAQ left unanswered may be one this FAQ answers."""
    if bank is None or not len(bank):
        return bank
    return bank[covered(bank, *own) < OWN_COVERED]


def covered(bank: np.ndarray, *own: np.ndarray | None) -> np.ndarray:
    """Per row of ``bank``, its best cosine with the rows of ``own``."""
    best = np.full(len(bank), -1.0, dtype=np.float32)
    for rows in own:
        if rows is not None and len(rows):
            best = np.maximum(best, (bank @ rows.T).max(axis=1))
    return best


def nearest(bank: np.ndarray | None, asked: np.ndarray | None) -> np.ndarray:
    """The ``OUTSIDE_TOP`` best cosines of a question with the rows of ``bank``, best first
    (zeros without the encoder or a bank)."""
    out = np.zeros(OUTSIDE_TOP)
    if bank is None or asked is None or not len(bank):
        return out
    cosines = np.einsum("ij,j->i", bank, asked)
    k = min(OUTSIDE_TOP, len(cosines))
    out[:k] = -np.sort(-np.partition(cosines, len(cosines) - k)[len(cosines) - k:])
    return out


def chances(rank: Linear, rows: np.ndarray) -> np.ndarray:
    """The conditional logit: per candidate (a row of ``rank_rows``) the chance it is the one meant."""
    logits = rank(rows)
    out = np.exp(logits - logits.max())
    return out / out.sum()


@dataclass(frozen=True)
class Model:
    rank: Linear
    scope: Linear
    note: str = ""  # what it was fitted on
    chat: Linear | None = None

    def chat_chance(self, asked: np.ndarray | None) -> float:
        """The chance that a message (its sentence embedding) is small talk; 0 without the model or the encoder."""
        if self.chat is None or asked is None:
            return 0.0
        return 1.0 / (1.0 + math.exp(-float(self.chat(asked[None, :])[0])))

    def judge(self, evidence: Evidence) -> tuple[np.ndarray, float]:
        """(per candidate the chance it is the entry meant, if any is; the chance the question is in scope)."""
        ranked = chances(self.rank, evidence.rank_rows())
        in_scope = 1.0 / (1.0 + math.exp(-float(self.scope(evidence.scope_row(float(ranked.max()))))))
        return ranked, in_scope

    def save(self, path: Path = MODEL_FILE) -> None:
        data = {"note": self.note, "rank": self.rank.as_dict(), "scope": self.scope.as_dict(),
                **({"chat": self.chat.as_dict()} if self.chat is not None else {})}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def read(path: Path) -> Model:
    data = json.loads(path.read_text(encoding="utf-8"))
    rank, scope = Linear.from_dict(data["rank"]), Linear.from_dict(data["scope"])
    chat = Linear.from_dict(data["chat"]) if "chat" in data else None
    if rank.features != RANK_FEATURES or scope.features != SCOPE_FEATURES \
            or (chat is not None and chat.features != CHAT_FEATURES):
        raise ValueError("its features are not the ones this code computes (retrain: bench/faq/lofo.py --save)")
    return Model(rank, scope, data.get("note", ""), chat)


@lru_cache(maxsize=1)
def model() -> Model | None:
    """The fitted models, or None (the hand-set scores are used; the log says why)."""
    if not MODEL_FILE.is_file():
        log.warning("FAQ: %s is missing; matching with the hand-set scores", MODEL_FILE.name)
        return None
    try:
        return read(MODEL_FILE)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("FAQ: cannot use %s (%s); matching with the hand-set scores", MODEL_FILE.name, exc)
        return None
