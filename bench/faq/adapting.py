"""The sentence adapter in the leave-one-FAQ-out protocol (``bench/faq/lofo.py``).

``train.fit_adapter`` fits it; this module gathers what it is fitted on (each FAQ's
in-scope questions and phrasings) and keeps the fitted matrices on disk by what they were
fitted on: the nested folds need one adapter per pair of FAQs left out (a FAQ measured,
and a training FAQ whose adapted cosines must look as a new FAQ's would), 56 for ten
FAQs, about three minutes the first time.
"""
from __future__ import annotations

import dataclasses
import hashlib
import inspect
import os
from pathlib import Path

import numpy as np

from bench.faq import sets as faq_sets
from bench.faq import train
from bench.faq.run import expected_ids
from handlers.faq import sentence, smalltalk

ADAPTER_DENSITIES = (1.0, 0.0)  # shares of each FAQ's alternatives the adapter is fitted with
ADAPTER_CACHE = Path(os.environ.get("LINLI_ADAPTER_CACHE", "/tmp/linli-faq-adapters"))


def adapter_blocks(faq: faq_sets.FaqSet) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """What ``train.fit_adapter`` reads of one FAQ: its in-scope questions, its phrasings (as
    written, and its questions alone) and which phrasings each question means."""
    questions = [row for row in faq.questions if row["expected"] not in ("chat", "none")
                 and not smalltalk.detect(row["query"])]
    out = []
    for share in ADAPTER_DENSITIES:
        owner, texts = [], []
        for doc in faq_sets.thinned(faq.docs, share):
            for phrasing in doc.phrasings:
                owner.append(doc.entry_id)
                texts.append(phrasing)
        owner = np.array(owner)
        right = np.array([np.isin(owner, list(expected_ids(row))) for row in questions], dtype=np.float32)
        keep = right.any(axis=1)
        asked = sentence.matrix([row["query"] for row in questions])
        out.append((asked[keep], sentence.matrix(texts), right[keep]))
    return out


def adapter_without(dev: list[faq_sets.FaqSet], excluded: frozenset[str]) -> sentence.Adapter:
    """The adapter fitted on every development FAQ but ``excluded``, kept on disk by what it was
    fitted on and how (the fitting code, its settings, the FAQs and their questions)."""
    used = sorted((f for f in dev if f.name not in excluded), key=lambda f: f.name)
    recipe = (inspect.getsource(train.fit_adapter), train.TAU, train.ADAPTER_L2, train.ADAPTER_STEPS,
              train.ADAPTER_RATE, ADAPTER_DENSITIES,
              [(f.name, f.docs, [q["query"] + q["expected"] for q in f.questions]) for f in used])
    path = ADAPTER_CACHE / f"{hashlib.sha256(repr(recipe).encode()).hexdigest()[:24]}.npy"
    if path.is_file():
        return sentence.Adapter(np.load(path, allow_pickle=False))
    matrix = train.fit_adapter([block for f in used for block in _blocks(f)])
    ADAPTER_CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, matrix)
    return sentence.Adapter(matrix)


_BLOCKS: dict[str, list] = {}


def _blocks(faq: faq_sets.FaqSet) -> list:
    if faq.name not in _BLOCKS:
        _BLOCKS[faq.name] = adapter_blocks(faq)
    return _BLOCKS[faq.name]


def with_adapter(items: list[dict], adapter: sentence.Adapter) -> list[dict]:
    """The items with their adapted cosines (``sentence.adapted``) read with ``adapter``."""
    out = []
    for x in items:
        evidence = dataclasses.replace(x["evidence"], **sentence.adapted(adapter, *x["signals"],
                                                                         x["evidence"].entries))
        out.append({**x, "evidence": evidence, "rows": evidence.rank_rows()})
    return out
