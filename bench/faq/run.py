"""Evaluate the FAQ matcher on resident-style queries; measure latency and memory.

    .venv/bin/python bench/faq/run.py                 # both splits, latency at 2,000 entries
    .venv/bin/python bench/faq/run.py --sweep dev     # no-match precision/recall by threshold
    .venv/bin/python bench/faq/run.py --errors dev    # list the misses of a split
    .venv/bin/python bench/faq/run.py --queries FILE  # also evaluate another CSV (split,expected,style,query)
    .venv/bin/python bench/faq/run.py --json bench/results/faq.json  # also save the figures
    .venv/bin/python bench/faq/run.py --plain --entries 44 # without synonyms and off-topic words

The FAQ is the demo content (handlers/faq/data/faq_sample.csv).  queries.csv was
written independently of the entries' alternatives; thresholds and synonyms are
tuned on the ``dev`` split only, ``test`` is held out.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import time
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):  # as gunicorn.conf.py sets for the web workers
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.faq import timing  # noqa: E402
from handlers.faq import decide as decide_mod  # noqa: E402
from handlers.faq.index import Doc, Index  # noqa: E402

HERE = Path(__file__).resolve().parent
SAMPLE = ROOT / "handlers" / "faq" / "data" / "faq_sample.csv"


def sample_docs() -> list[Doc]:
    with SAMPLE.open(encoding="utf-8") as fh:
        return [Doc(int(r["id"]), r["question"], tuple(a for a in r["alternatives"].split("|") if a),
                    r["answer"], r["category"]) for r in csv.DictReader(fh)]


def queries(split: str | None = None, path: Path = HERE / "queries.csv") -> list[dict]:
    with Path(path).open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    missing = {"split", "expected", "query"} - set(rows[0] if rows else ())
    if rows and missing:
        raise SystemExit(f"{path}: missing columns {', '.join(sorted(missing))}")
    return [r for r in rows if split in (None, r["split"])]


def expected_ids(row: dict) -> set[int]:
    if row["expected"] in ("none", "chat"):
        return set()
    return {int(x) for x in re.split(r"[|\s]+", row["expected"].strip())}


def evaluate(index: Index, rows: list[dict]) -> dict:
    counts = dict(inscope=0, top1=0, top3=0, answered=0, answered_right=0, offered_right=0, missed=0,
                  oos=0, oos_none=0, predicted_none=0, chat=0, chat_right=0, false_chat=0)
    errors = []
    for row in rows:
        decision = decide_mod.understand(index, row["query"])
        ranked = index.search(row["query"], limit=3)
        ids = [c.entry_id for c in ranked]
        if decision.kind == "none":
            counts["predicted_none"] += 1
        if row["expected"] == "chat":
            counts["chat"] += 1
            counts["chat_right"] += decision.kind == "smalltalk"
            if decision.kind != "smalltalk":
                errors.append((row, decision, ranked))
            continue
        counts["false_chat"] += decision.kind == "smalltalk"
        if row["expected"] == "none":
            counts["oos"] += 1
            counts["oos_none"] += decision.kind == "none"
            if decision.kind != "none":
                errors.append((row, decision, ranked))
            continue
        want = expected_ids(row)
        counts["inscope"] += 1
        counts["top1"] += bool(ids[:1] and ids[0] in want)
        counts["top3"] += bool(want & set(ids[:3]))
        offered = {c.entry_id for c in decision.candidates}
        counts["answered"] += decision.kind == "answer"
        counts["answered_right"] += decision.kind == "answer" and bool(offered & want)
        counts["offered_right"] += decision.kind == "choices" and bool(offered & want)
        counts["missed"] += decision.kind in ("none", "smalltalk")
        if not (ids[:1] and ids[0] in want) or decision.kind in ("none", "smalltalk"):
            errors.append((row, decision, ranked))
    counts["errors"] = errors
    return counts


def figures(c: dict) -> dict:
    """The headline numbers of one evaluation, as saved by ``--json``."""
    n = c["inscope"] or 1
    return {"in_scope": c["inscope"], "out_of_scope": c["oos"], "small_talk": c["chat"],
            "top1": round(c["top1"] / n, 3), "top3": round(c["top3"] / n, 3),
            "no_match_precision": round(c["oos_none"] / c["predicted_none"], 3) if c["predicted_none"] else 1.0,
            "no_match_recall": round(c["oos_none"] / c["oos"], 3) if c["oos"] else 1.0,
            "answered": c["answered"], "answered_right": c["answered_right"],
            "choices_with_right": c["offered_right"], "in_scope_judged_no_match": c["missed"],
            "small_talk_recognised": c["chat_right"], "questions_taken_for_small_talk": c["false_chat"]}


def report(name: str, c: dict) -> dict:
    n = c["inscope"] or 1
    precision = c["oos_none"] / c["predicted_none"] if c["predicted_none"] else 1.0
    recall = c["oos_none"] / c["oos"] if c["oos"] else 1.0
    print(f"[{name}] in-scope {c['inscope']}, out-of-scope {c['oos']}, small talk {c['chat']}")
    print(f"  top-1 {c['top1'] / n:.3f}   top-3 {c['top3'] / n:.3f}")
    print(f"  replies: answered {c['answered']} (right {c['answered_right']}), choices with the right one "
          f"{c['offered_right']}, wrongly 'no match' {c['missed']}")
    print(f"  no-match precision {precision:.3f}  recall {recall:.3f}  "
          f"(said 'no match' {c['predicted_none']} times, {c['oos_none']} of {c['oos']} out-of-scope)")
    print(f"  small talk recognised {c['chat_right']}/{c['chat']}, questions taken for small talk {c['false_chat']}")
    return figures(c)


def sweep(split: str, path: Path = HERE / "queries.csv") -> None:
    """No-match precision and recall by threshold: the learned chance that a question is
    in scope (``IN_SCOPE``), or without the learned models the hand-set ``ACCEPTABLE``."""
    index = Index.build(sample_docs())
    saved = decide_mod.ACCEPTABLE, decide_mod.LEXICAL_ONLY, decide_mod.IN_SCOPE
    for threshold in [x / 100 for x in range(8, 40, 2)] if index.model is None else [x / 10 for x in range(1, 10)]:
        index.memo.clear()
        if index.model is not None:
            decide_mod.IN_SCOPE = threshold
        elif index.vectors is None:  # lexical scores alone are judged with LEXICAL_ONLY
            decide_mod.LEXICAL_ONLY = (*saved[1][:2], threshold)
        decide_mod.ACCEPTABLE = threshold
        c = evaluate(index, queries(split, path))
        precision = c["oos_none"] / c["predicted_none"] if c["predicted_none"] else 1.0
        print(f"  threshold {threshold:.2f}: precision {precision:.3f} recall {c['oos_none'] / c['oos']:.3f} "
              f"in-scope lost {c['missed']}")
    decide_mod.ACCEPTABLE, decide_mod.LEXICAL_ONLY, decide_mod.IN_SCOPE = saved


def show_errors(split: str, path: Path = HERE / "queries.csv") -> None:
    index = Index.build(sample_docs())
    for row, decision, ranked in evaluate(index, queries(split, path))["errors"]:
        tops = ", ".join(f"{c.entry_id}:{c.score:.2f}" for c in ranked)
        print(f"  {row['expected']:>8} {decision.kind:9} {row['query']}  →  {tops}")


def plain() -> None:
    """No synonym replacement and no off-topic words (before any index is built)."""
    from handlers.faq import scope, text
    text.canonical = lambda normalized: normalized
    scope._offtopic_pattern = lambda: None
    print("plain: without synonyms.txt and offtopic.txt")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sweep", metavar="SPLIT")
    parser.add_argument("--errors", metavar="SPLIT")
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--queries", metavar="FILE", type=Path,
                        help="also evaluate this CSV (columns split,expected,style,query), e.g. a fresh held-out set")
    parser.add_argument("--json", metavar="PATH", type=Path, help="save the figures as JSON")
    parser.add_argument("--plain", action="store_true",
                        help="without synonyms.txt and offtopic.txt: how the matcher does on words it was not fitted to")
    args = parser.parse_args()
    if args.plain:
        plain()
    path = args.queries or HERE / "queries.csv"
    if args.sweep:
        return sweep(args.sweep, path)
    if args.errors:
        return show_errors(args.errors, path)
    index = Index.build(sample_docs())
    mode = " + ".join(["lexical", *(["word vectors"] if index.vectors is not None else []),
                        *(["sentence encoder"] if index.sentences is not None else []),
                        *(["learned second look"] if index.model is not None else [])])
    print(f"matcher: {mode}")
    result = {"command": "bench/faq/run.py " + " ".join(sys.argv[1:]), "date": time.strftime("%Y-%m-%d"),
              "faq_entries": len(index.docs), "matcher": mode, "splits": {}}
    for split in ("dev", "test"):
        result["splits"][split] = report(split, evaluate(index, queries(split)))
    result["splits"]["all"] = report("all", evaluate(index, queries()))
    if args.queries:
        extra = queries(path=args.queries)
        result["extra"] = {"file": str(args.queries)}
        for split in sorted({r["split"] for r in extra}):
            result["extra"][split] = report(f"{args.queries.name}:{split}", evaluate(index, queries(split, args.queries)))
    result["latency"] = timing.latency(sample_docs(), [r["query"] for r in queries()], args.entries)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"saved {args.json}")


if __name__ == "__main__":
    main()
