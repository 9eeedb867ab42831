"""Everything about one run in one dict: the console page, the printable report, the CLI.

One pass over the run's ballots and one over its frozen roster give the
headline figures, the building breakdown and the distributions (five queries
in all, whatever the number of ballots).
"""
from __future__ import annotations

from collections import Counter
from typing import Callable

from sqlalchemy import func
from sqlmodel import Session, select

from models.surveys import Ballot, SurveyEligible, SurveyVersion
from surveys import runs
from surveys.stats import detail, gate, themes


def full_report(run_id: int, *, session: Session, with_themes: bool = True,
                after_reads: Callable[[], None] | None = None) -> dict:
    """``after_reads`` is called once the database work is done and before the text
    analysis (jieba's first use loads its dictionary for seconds): a view passes a
    function ending its read transaction, so SQLite writers are not kept waiting."""
    run = runs.get(run_id, session=session)
    d = session.get(SurveyVersion, run.version_id).definition
    rows = session.exec(select(Ballot.answers, Ballot.created_at, Ballot.channel, Ballot.building_id, Ballot.gate_yes)
                        .where(Ballot.run_id == run_id)).all()
    roster = session.exec(select(SurveyEligible.building_id, SurveyEligible.eligible, SurveyEligible.status,
                                 func.count()).where(SurveyEligible.run_id == run_id)
                          .group_by(SurveyEligible.building_id, SurveyEligible.eligible, SurveyEligible.status)).all()
    eligible_by_building: Counter = Counter()
    excluded: Counter = Counter()
    for building_id, ok, status, n in roster:
        if ok:
            eligible_by_building[building_id] += n
        else:
            excluded[status] += n
    voted: dict[int, list[int]] = {}
    for _, _, _, building_id, yes in rows:
        entry = voted.setdefault(building_id, [0, 0])
        entry[0], entry[1] = entry[0] + 1, entry[1] + int(yes)
    yes_total = sum(v[1] for v in voted.values())
    summary = gate.figures(run, sum(eligible_by_building.values()), dict(excluded), len(rows), yes_total,
                           session=session)
    buildings = detail.building_rows(run, dict(eligible_by_building), {b: tuple(v) for b, v in voted.items()},
                                     session=session)
    if after_reads is not None:
        after_reads()
    answer_sets = [r[0] for r in rows]
    return {"summary": summary, "buildings": buildings, "channels": dict(Counter(r[2] for r in rows)),
            "questions": detail.per_question(d, answer_sets), "progress": detail.progress([r[1] for r in rows]),
            "themes": themes.question_themes(d, answer_sets) if with_themes else []}
