"""Leave one FAQ out: how the matcher does on a FAQ it was not fitted to.

    .venv/bin/python bench/faq/lofo.py                 # every FAQ left out in turn; per-FAQ table and mean
    .venv/bin/python bench/faq/lofo.py --shipped       # the shipped models and bank (data/), not refitted
    .venv/bin/python bench/faq/lofo.py --errors NAME   # the misses on one FAQ (development sets only)
    .venv/bin/python bench/faq/lofo.py --only NAME --errors NAME   # that FAQ alone (one fit, faster)
    .venv/bin/python bench/faq/lofo.py --save          # then fit on every development FAQ and save data/
    .venv/bin/python bench/faq/lofo.py --final         # also run the held-out sets (once, on the final code)

For each FAQ F of ``bench/faq/sets`` (and the demo FAQ), everything learned is
fitted without F: the second look's two models (``handlers/faq/learned.py``) on
the questions of the other FAQs, and the bank of questions known to be outside
a FAQ from the other FAQs' out-of-scope questions.  F is then indexed as an admin
would import it and asked its own questions by the service's rules
(``decide.judge``).  Each training FAQ is seen as written and thinned to 30 % and
to none of its alternatives, as admins start with few.

Figures per FAQ: ``direct`` the share of in-scope questions answered directly and
rightly, ``wrong`` answered directly and wrongly, ``offered`` the right entry among
the numbered choices, ``top1`` the ranking's first, and no-match precision and
recall (a "no match" given to small talk counts against precision).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np  # noqa: E402

from bench.faq import sets as faq_sets  # noqa: E402
from bench.faq.sets import thinned  # noqa: E402
from bench.faq.run import expected_ids  # noqa: E402
from bench.faq.adapting import adapter_without, with_adapter  # noqa: E402
from bench.faq.train import OUTSIDE_HEADER, fit, fit_chat  # noqa: E402
from handlers.faq import decide, learned, sentence, smalltalk  # noqa: E402
from handlers.faq.index import Index  # noqa: E402

DENSITIES = (1.0, 0.3, 0.0)  # shares of each training entry's alternatives kept


def examples(faq: faq_sets.FaqSet, share: float) -> list[dict]:
    """The evidence the models read for every question of ``faq`` (small talk aside), on the
    FAQ thinned to ``share``; built without models or bank, as the trainer must."""
    index = Index.build(thinned(faq.docs, share), outside=[])
    index.model = None
    out = []
    for row in faq.questions:
        if row["expected"] == "chat" or smalltalk.detect(row["query"]):
            continue
        found = index.evidence(row["query"])
        if found is None:
            continue
        evidence = found[0]
        ids = [index.docs[e].entry_id for e in evidence.entries]
        want = expected_ids(row)
        last = sentence.tail(row["query"])
        out.append({"set": faq.name, "writer": row["writer"], "query": row["query"], "density": share,
                    "own": (index.sentences, index.answer_sentences),
                    "signals": (sentence.embed(row["query"]), sentence.embed(last), index.sentences,
                                index.phrasing_entry, index.answer_sentences, index.part_entry),
                    "evidence": evidence, "rows": evidence.rank_rows(),
                    "right": np.array([i in want for i in ids], dtype=float), "in_scope": bool(want)})
    return out


def outside_bank(faqs: list[faq_sets.FaqSet]) -> list[tuple[str, str]]:
    """(FAQ, question) for every out-of-scope question of ``faqs``."""
    seen, bank = set(), []
    for faq in faqs:
        for row in faq.questions:
            if row["expected"] == "none" and row["query"] not in seen and not smalltalk.detect(row["query"]):
                seen.add(row["query"])
                bank.append((faq.name, row["query"]))
    return bank


def with_outside(items: list[dict], bank: list[tuple[str, str]]) -> list[dict]:
    """The items with their outside cosines read from the bank without their own FAQ's
    questions: a FAQ the service never saw has none of its own questions in the bank."""
    vectors = sentence.matrix([q for _, q in bank])
    owners = np.array([f for f, _ in bank])
    out, covers = [], {}
    for x in items:
        key = (x["set"], x["density"])
        if key not in covers and vectors is not None:
            covers[key] = learned.covered(vectors, *x["own"]) < learned.OWN_COVERED
        keep = (owners != x["set"]) & covers.get(key, True)
        found = learned.nearest(vectors[keep] if vectors is not None else None, sentence.embed(x["query"]))
        out.append({**x, "evidence": dataclasses.replace(x["evidence"], outside=found)})
    return out


def fitted(faqs: list[faq_sets.FaqSet], items: list[dict],
           dev: list[faq_sets.FaqSet]) -> tuple[learned.Model, list[str], sentence.Adapter]:
    """The models, the bank and the adapter fitted on ``faqs`` alone.  The models read each
    training FAQ's adapted cosines as a new FAQ would give them: with an adapter fitted
    without that FAQ too (and without every development FAQ not in ``faqs``)."""
    bank = outside_bank(faqs)
    outside = frozenset(f.name for f in dev) - {f.name for f in faqs}
    train_items = []
    for faq in faqs:
        adapter = adapter_without(dev, outside | {faq.name})
        train_items += with_adapter([x for x in items if x["set"] == faq.name], adapter)
    model = dataclasses.replace(fit(with_outside(train_items, bank)), chat=chat_model(faqs))
    return model, [q for _, q in bank], adapter_without(dev, outside)


def chat_model(faqs: list[faq_sets.FaqSet]) -> learned.Linear:
    """Small talk against every other question of ``faqs`` (all their writers)."""
    rows = [row for faq in faqs for row in faq.questions]
    return fit_chat(sentence.matrix([row["query"] for row in rows]),
                    np.array([row["expected"] == "chat" for row in rows], dtype=float))


def evaluate(faq: faq_sets.FaqSet, model: learned.Model | None, bank: list[str] | None,
             adapter: sentence.Adapter | None = None) -> dict:
    """The service's decisions on ``faq``'s questions with ``model``, ``bank`` and ``adapter``
    (None: the shipped ones)."""
    index = Index.build(faq.docs, outside=bank)
    if model is not None:
        index.model = model
    if adapter is not None:
        index.adapter = adapter
    c = dict(inscope=0, direct=0, wrong=0, offered=0, top1=0, missed=0, oos=0, oos_none=0, none=0, chat=0,
             chat_right=0, chat_none=0, chat_answered=0)
    misses = []
    for row in faq.evaluated():
        d = decide.judge(index, row["query"])
        c["none"] += d.kind == "none"
        if row["expected"] == "chat":
            c["chat"] += 1
            c["chat_right"] += d.kind == "smalltalk"
            c["chat_none"] += d.kind == "none"
            c["chat_answered"] += d.kind == "answer"  # an entry's text sent in reply to small talk
            continue
        if row["expected"] == "none":
            c["oos"] += 1
            c["oos_none"] += d.kind == "none"
            if d.kind != "none":
                misses.append((row, d))
            continue
        want = expected_ids(row)
        ids = [x.entry_id for x in d.candidates]
        c["inscope"] += 1
        c["top1"] += bool(ids) and ids[0] in want and d.kind != "smalltalk"
        c["direct"] += d.kind == "answer" and ids[0] in want
        c["wrong"] += d.kind == "answer" and ids[0] not in want
        c["offered"] += d.kind == "choices" and bool(want & set(ids))
        c["missed"] += d.kind in ("none", "smalltalk")
        if not (d.kind == "answer" and ids[0] in want):
            misses.append((row, d))
    return {**c, "misses": misses}


def figures(c: dict) -> dict:
    n = c["inscope"] or 1
    return {"in_scope": c["inscope"], "out_of_scope": c["oos"], "small_talk": c["chat"],
            "direct": round(c["direct"] / n, 3), "wrong": round(c["wrong"] / n, 3),
            "offered": round(c["offered"] / n, 3), "top1": round(c["top1"] / n, 3),
            "in_scope_no_match": c["missed"],
            "no_match_precision": round(c["oos_none"] / c["none"], 3) if c["none"] else 1.0,
            "no_match_recall": round(c["oos_none"] / c["oos"], 3) if c["oos"] else 1.0,
            "no_match_precision_small_talk_aside": round(c["oos_none"] / max(1, c["none"] - c["chat_none"]), 3),
            "small_talk_recognised": c["chat_right"], "small_talk_answered": c["chat_answered"]}


def table(rows: dict[str, dict]) -> None:
    print(f"{'FAQ':16} {'entries':>7} {'in':>4} {'out':>4} {'direct':>7} {'wrong':>6} {'offered':>7} {'top1':>6}"
          f" {'P':>6} {'R':>6} {'P*':>6} {'chat':>5}")
    for name, f in rows.items():
        print(f"{name:16} {f.get('entries', ''):>7} {f['in_scope']:>4} {f['out_of_scope']:>4} {f['direct']:>7.3f}"
              f" {f['wrong']:>6.3f} {f['offered']:>7.3f} {f['top1']:>6.3f} {f['no_match_precision']:>6.3f}"
              f" {f['no_match_recall']:>6.3f} {f['no_match_precision_small_talk_aside']:>6.3f}"
              f" {f['small_talk_recognised']:>2}/{f['small_talk']:<2}")
    keys = ("direct", "wrong", "offered", "top1", "no_match_precision", "no_match_recall")
    mean = {k: round(float(np.mean([f[k] for f in rows.values()])), 3) for k in keys}
    worst = min(f["direct"] for f in rows.values())
    print(f"mean: direct {mean['direct']:.3f} (worst {worst:.3f}), wrong {mean['wrong']:.3f}, offered "
          f"{mean['offered']:.3f}, top1 {mean['top1']:.3f}, no-match P {mean['no_match_precision']:.3f} "
          f"R {mean['no_match_recall']:.3f}")
    return mean


def show(name: str, c: dict) -> None:
    for row, d in c["misses"]:
        tops = ", ".join(f"{x.entry_id}:{x.score:.2f}" for x in d.candidates[:3])
        print(f"  {name}: {row['expected']:>6} {d.kind:9} [{row.get('style', '')}] {row['query']}  →  {tops}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shipped", action="store_true", help="the shipped models and bank, not refitted")
    parser.add_argument("--errors", metavar="FAQ", help="print the misses of this FAQ")
    parser.add_argument("--only", metavar="FAQ", help="leave out and report this FAQ alone")
    parser.add_argument("--save", action="store_true", help="fit on every development FAQ and save data/")
    parser.add_argument("--final", action="store_true", help="also run the held-out sets, fitted on all others")
    parser.add_argument("--json", type=Path, help="save the figures")
    parser.add_argument("--sweep", action="store_true", help="direct/wrong and no-match P/R by threshold")
    args = parser.parse_args()
    started = time.time()
    faqs = faq_sets.load(include_held_out=args.final)
    dev = [f for f in faqs if not f.held_out]
    print(f"{len(faqs)} FAQs: " + ", ".join(f"{f.name} ({len(f.docs)})" for f in faqs))
    items = [] if args.shipped else [x for f in dev for share in DENSITIES for x in examples(f, share)]
    if args.sweep:
        return sweep(dev, items)
    results = {}
    for faq in [f for f in faqs if args.only in (None, f.name)]:
        if args.shipped:
            c = evaluate(faq, None, None)
        else:
            others = [f for f in dev if f.name != faq.name]
            c = evaluate(faq, *fitted(others, items, dev))
        results[faq.name] = {**figures(c), "entries": len(faq.docs), "held_out": faq.held_out}
        if args.errors == faq.name and not faq.held_out:
            show(faq.name, c)
    print("left out in turn" if not args.shipped else "shipped models and bank")
    mean = table({k: v for k, v in results.items() if not v["held_out"]})
    if args.final:
        print("held-out sets (run once):")
        table({k: v for k, v in results.items() if v["held_out"]})
    print(f"({time.time() - started:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps({"command": " ".join(sys.argv), "date": time.strftime("%Y-%m-%d"),
                                         "faqs": results, "mean": mean}, ensure_ascii=False, indent=2) + "\n")
    if args.save:
        save(dev, items)


SWEPT = {"SURE_LEAD": (0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65), "IN_SCOPE": (0.3, 0.4, 0.5, 0.6, 0.7),
         "CHAT": (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)}
MAX_WRONG = 0.03  # the nested choice: the most direct answers with at most this share answered wrongly (the bar)


def sweep(dev: list[faq_sets.FaqSet], items: list[dict]) -> None:
    """The mean over FAQs left out of direct / wrong by ``SURE_LEAD`` and of no-match P / R by
    ``IN_SCOPE``; then the nested choice of ``SURE_LEAD``: for each FAQ the value chosen on the
    other FAQs alone (the most direct answers with mean wrong ≤ ``MAX_WRONG``), and what it gives."""
    folds = {f.name: fitted([o for o in dev if o.name != f.name], items, dev) for f in dev}
    for name, values in SWEPT.items():
        default, by_value = getattr(decide, name), {}
        for value in values:
            setattr(decide, name, value)
            rows = by_value[value] = {f.name: figures(evaluate(f, *folds[f.name])) for f in dev}
            line = "  ".join(f"{k} {np.mean([r[k] for r in rows.values()]):.3f}" for k in
                             ("direct", "wrong", "no_match_precision", "no_match_recall"))
            print(f"{name} {value:.2f}: {line}   worst direct {min(r['direct'] for r in rows.values()):.3f}")
        setattr(decide, name, default)
        if name == "SURE_LEAD":
            nested(by_value)


def nested(by_value: dict[float, dict[str, dict]]) -> None:
    chosen = {}
    for faq in next(iter(by_value.values())):
        def others(value: float, key: str) -> float:
            return float(np.mean([r[key] for n, r in by_value[value].items() if n != faq]))
        allowed = [v for v in by_value if others(v, "wrong") <= MAX_WRONG] or [max(by_value)]
        chosen[faq] = max(allowed, key=lambda v: others(v, "direct"))
    rows = {faq: by_value[v][faq] for faq, v in chosen.items()}
    print("nested SURE_LEAD (chosen without the FAQ): " + ", ".join(f"{f} {v:.2f}" for f, v in chosen.items()))
    print("  gives: " + "  ".join(f"{k} {np.mean([r[k] for r in rows.values()]):.3f}" for k in ("direct", "wrong"))
          + f"   worst direct {min(r['direct'] for r in rows.values()):.3f}")


def save(dev: list[faq_sets.FaqSet], items: list[dict]) -> None:
    model, bank, adapter = fitted(dev, items, dev)
    note = (f"bench/faq/lofo.py --save on {len(items)} questions of {len(dev)} FAQs "
            f"({', '.join(f.name for f in dev)}), each with {', '.join(f'{d:.0%}' for d in DENSITIES)} of its alternatives")
    dataclasses.replace(model, note=note).save()
    np.save(sentence.ADAPTER_FILE, adapter.matrix)
    learned.OUTSIDE_FILE.write_text(OUTSIDE_HEADER + "".join(f"{q}\n" for q in bank), encoding="utf-8")
    print(f"saved {learned.MODEL_FILE}, {sentence.ADAPTER_FILE} and {learned.OUTSIDE_FILE}")


if __name__ == "__main__":
    main()
