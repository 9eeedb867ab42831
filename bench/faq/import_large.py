"""Import a 2,000-entry FAQ with `flask faq import`, as an admin would, and time it.

    .venv/bin/python bench/faq/import_large.py            # 2,000 entries (the demo's 44 + synthetic ones)
    .venv/bin/python bench/faq/import_large.py --entries 500

A fresh SQLite instance gets the demo (`init-db --demo`), then the file is imported
through the command line (all-or-nothing check, write, the import report of competing
and thin entries), and the first question after it is asked through `/wechat`
(the index rebuilt for the new FAQ version).  Prints the seconds of each step.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.faq import sets as faq_sets  # noqa: E402
from bench.faq.timing import synthetic_docs  # noqa: E402
from bench.faq.wechat_run import fresh_app, run_cli, simulated  # noqa: E402


def write_faq(path: Path, count: int) -> None:
    docs = faq_sets.read_faq(faq_sets.DEMO_FAQ)
    seen = {d.question for d in docs}
    for d in synthetic_docs(4 * count, start=len(docs) + 1):  # its questions repeat: an import refuses repeats
        if len(docs) < count and d.question not in seen:
            seen.add(d.question)
            docs.append(d)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["问题", "相似问法", "答案", "分类"])
        for d in docs:
            out.writerow([d.question, "|".join(d.alternatives), d.answer.replace("（示例内容，请按本地政策修改）", ""),
                          d.category])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        write_faq(work / "faq.csv", args.entries)
        app = fresh_app(work)
        started = time.perf_counter()
        result = run_cli(app, ["faq", "import", str(work / "faq.csv")])
        imported = time.perf_counter() - started
        started = time.perf_counter()
        simulated(app).send_fields("o_bench_import", "text", {"Content": "加装电梯有补贴吗"})
        first = time.perf_counter() - started
    figures = {"entries": args.entries, "import_s": round(imported, 1), "first_question_after_s": round(first, 1),
               "output": result.output.strip().splitlines()[:3]}
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps({"command": " ".join(sys.argv), "date": time.strftime("%Y-%m-%d"), **figures},
                                        ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
