"""Fitting the FAQ matcher's second look (``handlers/faq/learned.py``): the two linear models,
and the sentence adapter they read (``handlers/faq/sentence.py``).

``bench/faq/lofo.py`` is the trainer: it gathers the evidence of every FAQ set's
questions, fits with these functions leaving one FAQ out in turn, and with
``--save`` fits on every development FAQ and writes ``data/learned.json`` and
``data/outside.txt``.  (Until 2026-12 this module was also a trainer of its own,
on the demo FAQ's writers alone: the leave-one-writer-out figures in README.md
were made with it.)
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from handlers.faq import learned  # noqa: E402

OUTSIDE_HEADER = """\
# Questions residents asked that a FAQ did not answer (near-topic errands such as
# 房产证加名字, and off-topic ones), one per line: the learned scope model reads how
# close a question comes to them (handlers/faq/learned.py).  Written by
# bench/faq/lofo.py --save from the out-of-scope questions of the development FAQ sets.
"""
L2 = 0.01  # ridge penalty on the standardised weights
# The sentence adapter (``sentence.Adapter``): contrastive, temperature TAU, ridge ADAPTER_L2 on B,
# ADAPTER_STEPS full-batch Adam steps of ADAPTER_RATE (chosen leaving one FAQ out, README.md).
TAU, ADAPTER_L2, ADAPTER_STEPS, ADAPTER_RATE = 0.05, 1e-3, 100, 1e-3
MAX_STEP = 1.0  # the largest change of one weight in one Newton step


def standardise(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return rows.mean(axis=0), rows.std(axis=0) + 1e-9


def fit_rank(train: list[dict]) -> learned.Linear:
    """Conditional logit over each question's candidates (Newton steps, ridge), on the
    in-scope questions whose right entry is among the candidates."""
    train = [x for x in train if x["right"].any()]
    mean, scale = standardise(np.vstack([x["rows"] for x in train]))
    zs = [(x["rows"] - mean) / scale for x in train]
    w = np.zeros(len(mean))
    for _ in range(100):
        grad, hess = L2 * w * len(zs), L2 * np.eye(len(w)) * len(zs)
        for z, right in zip(zs, (x["right"] for x in train)):
            logits = z @ w
            p = np.exp(logits - logits.max())
            p /= p.sum()
            # the chance among the right candidates, in log space (p of a right one can underflow)
            masked = np.where(right > 0, logits, -np.inf)
            target = np.exp(masked - masked.max())
            target /= target.sum()
            grad += z.T @ (p - target)
            hess += z.T @ (np.diag(p) - np.outer(p, p)) @ z
        step = np.linalg.solve(hess, grad)
        step *= min(1.0, MAX_STEP / (np.abs(step).max() + 1e-12))  # a trust region: plain Newton can overshoot
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return learned.Linear(learned.RANK_FEATURES, mean, scale, w)


def fit_scope(rows: np.ndarray, labels: np.ndarray) -> learned.Linear:
    return logistic(rows, labels, learned.SCOPE_FEATURES)


def fit_chat(embeddings: np.ndarray, labels: np.ndarray) -> learned.Linear:
    """Small talk (1) or not (0) from a message's sentence embedding (``learned.Model.chat``)."""
    return logistic(embeddings.astype(np.float64), labels, learned.CHAT_FEATURES)


def logistic(rows: np.ndarray, labels: np.ndarray, features: tuple[str, ...]) -> learned.Linear:
    """Logistic regression (Newton steps, ridge; the bias is not penalised)."""
    mean, scale = standardise(rows)
    z = np.c_[(rows - mean) / scale, np.ones(len(rows))]
    w, penalty = np.zeros(z.shape[1]), np.diag([L2] * len(mean) + [0.0])
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ w))
        grad = z.T @ (p - labels) / len(labels) + penalty @ w
        hess = (z * (p * (1 - p))[:, None]).T @ z / len(labels) + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return learned.Linear(features, mean, scale, w[:-1], w[-1])


def fit_adapter(blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> np.ndarray:
    """B of ``sentence.Adapter`` from (questions, phrasings, right) blocks, one per FAQ (and
    density): rows of embedded questions, rows of embedded phrasings of that FAQ, and for each
    question which phrasings belong to the entry it means.  Each question's loss is the
    softmax over all the phrasings of its FAQ of (q + qB)·p / TAU against its right ones; each
    block weighs the same, whatever its number of questions."""
    dim = blocks[0][0].shape[1]
    b = np.zeros((dim, dim), dtype=np.float32)
    first, second = np.zeros_like(b), np.zeros_like(b)
    beta1, beta2 = 0.9, 0.999
    for step in range(1, ADAPTER_STEPS + 1):
        grad = ADAPTER_L2 * b
        for questions, phrasings, right in blocks:
            logits = (questions + questions @ b) @ phrasings.T / TAU
            logits -= logits.max(axis=1, keepdims=True)
            e = np.exp(logits)
            soft = e / e.sum(axis=1, keepdims=True)
            target = e * right
            target /= target.sum(axis=1, keepdims=True)
            grad += questions.T @ ((soft - target) / (TAU * len(questions) * len(blocks))) @ phrasings
        first = beta1 * first + (1 - beta1) * grad
        second = beta2 * second + (1 - beta2) * grad ** 2
        b -= ADAPTER_RATE * (first / (1 - beta1 ** step)) / (np.sqrt(second / (1 - beta2 ** step)) + 1e-8)
    return b.astype(np.float32)


def fit(train: list[dict]) -> learned.Model:
    rank = fit_rank(train)  # the scope model reads the ranking's top chance
    rows = np.array([x["evidence"].scope_row(float(learned.chances(rank, x["rows"]).max())) for x in train])
    return learned.Model(rank, fit_scope(rows, np.array([x["in_scope"] for x in train], dtype=float)))
