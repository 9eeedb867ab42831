"""The FAQ sets of the generalisation protocol: several FAQs, each with residents' questions.

Each folder of ``bench/faq/sets/`` holds one FAQ (``faq.csv``: id, question,
alternatives, answer, category; Chinese headers too) written by one writer, and
one or more question files (``queries*.csv``: split, expected, style, query)
written by other writers who read only that FAQ.  The demo FAQ
(``handlers/faq/data/faq_sample.csv``) with the question sets of its own writers
is one set among them, called ``demo``.

A set whose folder has a file ``HELD_OUT`` is kept out of every fit and every
report until it is run once (``lofo.py --final``).
"""
from __future__ import annotations

import csv
import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path

from handlers.faq.index import Doc

HERE = Path(__file__).resolve().parent
SETS_DIR = HERE / "sets"
DEMO_FAQ = HERE.parents[1] / "handlers" / "faq" / "data" / "faq_sample.csv"
# The demo FAQ's question writers (each file by one writer; the ``test`` split of
# queries.csv stays unread, as before).
DEMO_WRITERS = (("dev", "dev", "queries.csv"), ("fresh", "fresh", "queries_fresh.csv"),
                ("fresh2", "fresh2", "queries_fresh2.csv"), ("fresh3", "fresh3", "queries_fresh3.csv"),
                ("fresh4", "fresh4", "queries_fresh4.csv"), ("fresh5", "fresh5", "queries_fresh5.csv"),
                ("fresh6", "fresh6", "queries_fresh6.csv"), ("fresh7", "fresh7", "queries_fresh7.csv"),
                ("fresh8", "fresh8", "queries_fresh8.csv"), ("fresh9", "fresh9", "queries_fresh9.csv"),
                ("train8", "train8", "queries_train8.csv"), ("train9", "train9", "queries_train9.csv"))
DEMO_EVALUATED = ("fresh9",)  # the demo's questions reported (one writer, as for the other FAQs)
HEADERS = {"问题": "question", "相似问题": "alternatives", "答案": "answer", "分类": "category", "编号": "id"}


@dataclass
class FaqSet:
    name: str
    docs: list[Doc]
    questions: list[dict] = field(default_factory=list)  # rows with a "writer" key
    held_out: bool = False

    def evaluated(self) -> list[dict]:
        """The questions reported for this FAQ (the demo: one writer, as the others have)."""
        if self.name != "demo":
            return self.questions
        return [q for q in self.questions if q["writer"] in DEMO_EVALUATED]


def read_faq(path: Path) -> list[Doc]:
    with path.open(encoding="utf-8-sig") as fh:
        rows = [{HEADERS.get(k, k): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]
    return [Doc(int(r.get("id") or n), r["question"],
                tuple(a.strip() for a in r.get("alternatives", "").split("|") if a.strip()),
                r["answer"], r.get("category", "")) for n, r in enumerate(rows, 1)]


def read_questions(path: Path, writer: str, split: str | None = None) -> list[dict]:
    with path.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    return [{**r, "writer": writer} for r in rows if split in (None, r["split"]) and r["query"].strip()]


def load(include_held_out: bool = False) -> list[FaqSet]:
    out = [FaqSet("demo", read_faq(DEMO_FAQ),
                  [q for name, split, file in DEMO_WRITERS for q in read_questions(HERE / file, name, split)])]
    for folder in sorted(p for p in SETS_DIR.iterdir() if p.is_dir()) if SETS_DIR.is_dir() else ():
        held = (folder / "HELD_OUT").exists()
        if held and not include_held_out:
            continue
        files = sorted(folder.glob("queries*.csv"))
        questions = [q for f in files for q in read_questions(f, f"{folder.name}/{f.stem}")]
        if questions:
            out.append(FaqSet(folder.name, read_faq(folder / "faq.csv"), questions, held))
    return out


def thinned(docs: list[Doc], share: float) -> list[Doc]:
    """The entries with the first ``share`` of their alternatives (none at 0), as admins start with few."""
    keep = (lambda n: math.ceil(n * share)) if share else (lambda n: 0)
    return [dataclasses.replace(d, alternatives=d.alternatives[:keep(len(d.alternatives))]) for d in docs]
