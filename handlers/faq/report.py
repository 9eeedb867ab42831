"""What to fix first in a newly imported FAQ: entries that compete, entries too thin to match.

Judged through the matcher itself (``decide.understand``, what the chat does).
Two entries compete when the matcher cannot tell them apart: left out of the
FAQ in turn, each one's own question is answered directly by the other (a
resident asking either in other words is then one small step from the wrong
answer), or, with the entry present, its own question is answered by another.
An entry whose question is short, with a short answer and no alternatives,
gives the matcher little to go on.  Leaving an entry out rescales the other
candidates' chances (the ranking is a conditional logit), so each check is one
search, not one index build; ``budget_s`` still bounds a very large import, and the
report says how many were checked.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from dataclasses import replace

from handlers.faq.decide import MAX_CHOICES, decide, understand
from handlers.faq.index import Doc, Index

BUDGET_S = 30.0  # leave-one-out checks stop after this (a 2,000-entry import); the rest is reported unchecked
SHORT_QUESTION = 6  # characters, punctuation left out
SHORT_ANSWER = 15


@dataclass(frozen=True)
class Competition:
    """Entry ``entry_id``'s question goes to entry ``rival_id``: ``outcome`` is ``mutual``
    (each one's question goes to the other when it is left out) or ``present`` (even with
    this entry in the FAQ)."""

    entry_id: int
    question: str
    rival_id: int
    rival_question: str
    outcome: str


@dataclass(frozen=True)
class Thin:
    entry_id: int
    question: str
    reasons: tuple[str, ...]  # Chinese, for the admin


@dataclass
class ImportReport:
    entries: int = 0
    checked: int = 0  # entries whose competition was checked (all unless the time budget ran out)
    competing: list[Competition] = field(default_factory=list)
    thin: list[Thin] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.competing and not self.thin


def build_report(index: Index, entry_ids: list[int] | None = None, *, outside: list[str] | None = None,
                 budget_s: float = BUDGET_S) -> ImportReport:
    """The report for ``entry_ids`` (default: every entry of ``index``; hidden ones are skipped).
    ``outside`` is accepted for the callers that pass it; ``index`` already carries its bank."""
    wanted = [i for i in dict.fromkeys(entry_ids if entry_ids is not None else index.by_id) if i in index.by_id]
    report = ImportReport(entries=len(wanted))
    for entry_id in wanted:
        doc = index.by_id[entry_id]
        reasons = thin_reasons(doc)
        if reasons:
            report.thin.append(Thin(doc.entry_id, doc.question, reasons))
    gone = {}  # entry id -> the entry its question reaches when it is left out
    deadline = time.monotonic() + budget_s
    for entry_id in wanted:
        if time.monotonic() > deadline:
            break
        report.checked += 1
        gone[entry_id] = _rival(index, index.by_id[entry_id])
    report.competing = _pairs(index, gone)
    return report


def _rival(index: Index, doc: Doc) -> tuple[str, int] | None:
    present = understand(index, doc.question)
    if present.kind == "answer" and present.best.entry_id != doc.entry_id:
        return "present", present.best.entry_id
    decision = _without(index, doc)
    return ("left_out", decision.best.entry_id) if decision.kind == "answer" else None


def _without(index: Index, doc: Doc):
    """The decision on ``doc``'s question were ``doc`` not in the FAQ.  The ranking is a
    conditional logit, so leaving one entry out scales the others' chances by the same
    factor: no index rebuilt per entry (a 2,000-entry report in seconds, not hours)."""
    found = index.search(doc.question, limit=MAX_CHOICES + 3)
    rest = [c for c in found if c.entry_id != doc.entry_id]
    if not rest or rest[0].in_scope is None:
        return decide(rest, lexical_only=index.vectors is None)
    own = sum(c.score for c in found if c.entry_id == doc.entry_id)
    scale = rest[0].in_scope / max(rest[0].in_scope - own, 1e-9)
    return decide([replace(c, score=c.score * scale) for c in rest])


def _pairs(index: Index, gone: dict[int, tuple[str, int] | None]) -> list[Competition]:
    found, seen = [], set()
    for entry_id, hit in gone.items():
        if hit is None:
            continue
        outcome, rival = hit
        back = gone.get(rival)
        if outcome == "left_out":
            # One way only is common (a broad entry takes a narrow one's question when that one
            # is missing) and says little; both ways, the two are interchangeable to the matcher.
            if back is None or back[1] != entry_id or frozenset((entry_id, rival)) in seen:
                continue
            seen.add(frozenset((entry_id, rival)))
            outcome = "mutual"
        found.append(Competition(entry_id, index.by_id[entry_id].question, rival, index.by_id[rival].question,
                                 outcome))
    return found


def thin_reasons(doc: Doc) -> tuple[str, ...]:
    reasons = []
    alternatives = [a for a in doc.alternatives if a.strip()]
    if not alternatives:
        reasons.append("没有相似问法")
    if _length(doc.question) < SHORT_QUESTION:
        reasons.append("问题太短")
    if _length(doc.answer) < SHORT_ANSWER:
        reasons.append("答案太短")
    # Alternatives make up for a short question: only their absence together with little text is thin.
    return tuple(reasons) if not alternatives and len(reasons) > 1 else ()


def _length(text: str) -> int:
    return sum(1 for ch in text or "" if ch.isalnum())


def report_lines(report: ImportReport, limit: int = 50) -> list[str]:
    """The report as lines of Chinese text (the command line prints these)."""
    lines = [f"检查了 {report.checked} / {report.entries} 条问答。"]
    if report.clean:
        return [*lines, "没有发现分不开或内容太少的问答。"]
    if report.competing:
        lines.append(f"分不开的问答：{len(report.competing)} 处（合并，或在问题和相似问法里写出区别）")
        lines += [f"  #{c.entry_id} {c.question} —— {OUTCOMES[c.outcome]} #{c.rival_id} {c.rival_question}"
                  for c in report.competing[:limit]]
    if report.thin:
        lines.append(f"内容太少、难以匹配：{len(report.thin)} 条（建议补充3-5种居民常用的问法）")
        lines += [f"  #{t.entry_id} {t.question} —— {'、'.join(t.reasons)}" for t in report.thin[:limit]]
    return lines


OUTCOMES = {"mutual": "与之互相混淆：", "present": "用问题原话问，答的却是"}
