"""Fit the FAQ matcher's second look (``handlers/faq/learned.py``) on the development sets.

    .venv/bin/python bench/faq/train.py            # cross-validate, then fit on all and save
    .venv/bin/python bench/faq/train.py --dry-run  # cross-validate only

Development sets: the ``dev`` split of queries.csv, queries_fresh.csv to
queries_fresh8.csv (each run once as a held-out set before it joined), and
queries_train8.csv / queries_train9.csv (written for training), each by a
different writer.  The ``test`` split is never read here, nor are the held-out
sets not yet run (queries_fresh9.csv).
Their out-of-scope questions are also written to ``data/outside.txt``: the
questions known to be outside the FAQ, whose nearness the scope model reads (a
question's own writer's are left out of its bank, in cross-validation and in
the final fit alike).
Cross-validation leaves one writer out at a time: what a writer the models never
saw can expect.  The index is built from the demo FAQ without the learned
models, so the hand-set scores they read are the ones the service computes
before them; and from the demo FAQ with only the first 60 % and 30 % of each
entry's alternatives, since a community's FAQ may know fewer ways of asking
(scores then run lower, and models fitted on the full FAQ alone say "no match"
too readily).
"""
from __future__ import annotations

import argparse
import dataclasses
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.faq.run import HERE, expected_ids, queries, sample_docs  # noqa: E402
from handlers.faq import decide, learned, sentence, smalltalk  # noqa: E402
from handlers.faq.index import Doc, Index  # noqa: E402

SETS = (("dev", "dev", HERE / "queries.csv"), ("fresh", "fresh", HERE / "queries_fresh.csv"),
        ("fresh2", "fresh2", HERE / "queries_fresh2.csv"), ("fresh3", "fresh3", HERE / "queries_fresh3.csv"),
        ("fresh4", "fresh4", HERE / "queries_fresh4.csv"), ("fresh5", "fresh5", HERE / "queries_fresh5.csv"),
        ("fresh6", "fresh6", HERE / "queries_fresh6.csv"), ("fresh7", "fresh7", HERE / "queries_fresh7.csv"),
        ("fresh8", "fresh8", HERE / "queries_fresh8.csv"), ("train8", "train8", HERE / "queries_train8.csv"),
        ("train9", "train9", HERE / "queries_train9.csv"))
OUTSIDE_HEADER = """\
# Questions residents asked that the renovation FAQ does not answer (near-topic errands
# such as 房产证加名字, and off-topic ones), one per line: the learned scope model reads how
# close a question comes to them (handlers/faq/learned.py).  Written by bench/faq/train.py
# from the out-of-scope questions of its development sets.
"""
L2 = 0.01  # ridge penalty on the standardised weights
DENSITIES = (1.0, 0.6, 0.3)  # shares of each entry's alternatives kept (the first ones)


def thinned(docs: list[Doc], share: float) -> list[Doc]:
    return [dataclasses.replace(doc, alternatives=doc.alternatives[:max(1, math.ceil(len(doc.alternatives) * share))])
            for doc in docs]


def examples(index: Index) -> list[dict]:
    """One per question the FAQ is asked (small talk is answered before the FAQ is searched)."""
    out = []
    for name, split, path in SETS:
        for row in queries(split, path):
            if row["expected"] == "chat" or smalltalk.detect(row["query"]):
                continue
            found = index.evidence(row["query"])
            if found is None:
                continue  # no candidate at all: "no match" whatever the models say
            evidence = found[0]
            ids = [index.docs[e].entry_id for e in evidence.entries]
            want = expected_ids(row)
            out.append({"set": name, "query": row["query"], "evidence": evidence, "rows": evidence.rank_rows(),
                        "right": np.array([i in want for i in ids], dtype=float), "in_scope": bool(want)})
    return out


def outside_bank() -> list[tuple[str, str]]:
    """(writer, question) for every out-of-scope question of the sets: what ``data/outside.txt`` holds."""
    seen, bank = set(), []
    for name, split, path in SETS:
        for row in queries(split, path):
            if row["expected"] == "none" and row["query"] not in seen and not smalltalk.detect(row["query"]):
                seen.add(row["query"])
                bank.append((name, row["query"]))
    return bank


def with_outside(items: list[dict], bank: list[tuple[str, str]], held_out: str | None = None) -> list[dict]:
    """The items with their outside cosines read from the bank without their own writer's
    questions (nor the held-out writer's): as a writer the service never saw would meet it."""
    vectors = sentence.matrix([q for _, q in bank])
    writers = np.array([w for w, _ in bank])
    out = []
    for x in items:
        keep = (writers != x["set"]) & (writers != held_out)
        found = learned.nearest(vectors[keep], sentence.embed(x["query"]))
        out.append({**x, "evidence": dataclasses.replace(x["evidence"], outside=found)})
    return out


def standardise(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return rows.mean(axis=0), rows.std(axis=0) + 1e-9


def fit_rank(train: list[dict]) -> learned.Linear:
    """Conditional logit over each question's candidates (Newton steps, ridge), on the
    in-scope questions whose right entry is among the candidates."""
    train = [x for x in train if x["right"].any()]
    mean, scale = standardise(np.vstack([x["rows"] for x in train]))
    zs = [(x["rows"] - mean) / scale for x in train]
    w = np.zeros(len(mean))
    for _ in range(50):
        grad, hess = L2 * w * len(zs), L2 * np.eye(len(w)) * len(zs)
        for z, right in zip(zs, (x["right"] for x in train)):
            p = np.exp(z @ w - (z @ w).max())
            p /= p.sum()
            target = p * right / (p * right).sum()
            grad += z.T @ (p - target)
            hess += z.T @ (np.diag(p) - np.outer(p, p)) @ z
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return learned.Linear(learned.RANK_FEATURES, mean, scale, w)


def fit_scope(rows: np.ndarray, labels: np.ndarray) -> learned.Linear:
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
    return learned.Linear(learned.SCOPE_FEATURES, mean, scale, w[:-1], w[-1])


def fit(train: list[dict]) -> learned.Model:
    rank = fit_rank(train)  # the scope model reads the ranking's top chance
    rows = np.array([x["evidence"].scope_row(float(learned.chances(rank, x["rows"]).max())) for x in train])
    return learned.Model(rank, fit_scope(rows, np.array([x["in_scope"] for x in train], dtype=float)))


def judged(model: learned.Model, x: dict) -> tuple[bool, bool, bool]:
    """(top right, said "no match", answered directly) for one question, by the service's rules."""
    chances, in_scope = model.judge(x["evidence"])
    top = int(np.argmax(chances))
    none = in_scope < decide.IN_SCOPE
    second = float(np.sort(chances)[-2]) if len(chances) > 1 else 0.0
    return bool(x["right"][top]), none, not none and chances[top] - second >= decide.SURE_LEAD


def report(name: str, model_of, items: list[dict]) -> None:
    n = sum(x["in_scope"] for x in items)
    oos = len(items) - n
    hand = dict(top=0, none=0, oos_none=0)
    new = dict(top=0, none=0, oos_none=0, answered=0, answered_right=0)
    for x in items:
        right, none, answered = judged(model_of(x), x)
        hand_none = x["evidence"].final[0] < decide.ACCEPTABLE
        hand["top"] += x["in_scope"] and bool(x["right"][0])
        hand["none"] += hand_none
        hand["oos_none"] += hand_none and not x["in_scope"]
        new["top"] += x["in_scope"] and right
        new["none"] += none
        new["oos_none"] += none and not x["in_scope"]
        new["answered"] += answered
        new["answered_right"] += answered and right and x["in_scope"]
    def pr(d):
        return f"P {d['oos_none'] / max(1, d['none']):.3f} R {d['oos_none'] / max(1, oos):.3f}"
    print(f"  {name:7} top-1 {hand['top'] / n:.3f} → {new['top'] / n:.3f}   no match {pr(hand)} → {pr(new)}"
          f"   in scope lost {hand['none'] - hand['oos_none']} → {new['none'] - new['oos_none']}"
          f"   answered {new['answered']}, right {new['answered_right']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="cross-validate only, do not save")
    args = parser.parse_args()
    items = []
    for share in DENSITIES:
        index = Index.build(thinned(sample_docs(), share), outside=[])
        index.model = None
        for item in examples(index):
            items.append({**item, "density": share})
    writers = [name for name, _, _ in SETS]
    print(f"{len(items)} questions ({sum(x['in_scope'] for x in items)} in scope) from {len(writers)} writers, "
          f"on the demo FAQ with {', '.join(f'{d:.0%}' for d in DENSITIES)} of its alternatives")
    print("leave one writer out (hand-set → learned; the questions with no candidate at all are not counted):")
    bank = outside_bank()
    print(f"{len(bank)} questions known to be outside the FAQ")
    held_models, held_items = {}, []
    for name in writers:
        fold = with_outside(items, bank, held_out=name)
        held_models[name] = fit([x for x in fold if x["set"] != name])
        held_items += [x for x in fold if x["set"] == name]
    for share in DENSITIES:
        print(f" {share:.0%} of the alternatives:")
        for name in writers:
            report(name, lambda x: held_models[x["set"]],
                   [x for x in held_items if x["set"] == name and x["density"] == share])
        report("all", lambda x: held_models[x["set"]], [x for x in held_items if x["density"] == share])
    if not args.dry_run:
        model = fit(with_outside(items, bank))
        model = learned.Model(model.rank, model.scope, f"bench/faq/train.py on {len(items)} questions from "
                              f"{', '.join(writers)} and the demo FAQ with {', '.join(f'{d:.0%}' for d in DENSITIES)} "
                              "of its alternatives")
        model.save()
        learned.OUTSIDE_FILE.write_text(OUTSIDE_HEADER + "".join(f"{q}\n" for _, q in bank), encoding="utf-8")
        print(f"saved {learned.MODEL_FILE} and {learned.OUTSIDE_FILE}")


if __name__ == "__main__":
    main()
