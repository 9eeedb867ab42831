"""A city's runs at a glance, read from the runs' counters (one row per run)."""
from __future__ import annotations

import math
from collections import defaultdict

from sqlmodel import Session, select

from models import Community
from models.surveys import SurveyRun
from surveys.stats.gate import rate


def overview(*, session: Session, community_ids: list[int] | None = None, phase: str | None = None) -> dict:
    """Runs with their gate figures, and totals per phase."""
    query = select(SurveyRun.id, SurveyRun.title, SurveyRun.phase, SurveyRun.status, SurveyRun.community_id,
                   Community.name, SurveyRun.eligible_count, SurveyRun.ballot_count, SurveyRun.gate_yes_count,
                   SurveyRun.threshold, SurveyRun.gate_basis, SurveyRun.closes_at, SurveyRun.rule).join(
        Community, Community.id == SurveyRun.community_id)
    if community_ids is not None:
        query = query.where(SurveyRun.community_id.in_(community_ids))
    if phase:
        query = query.where(SurveyRun.phase == phase)
    rows, totals = [], defaultdict(lambda: {"runs": 0, "passed": 0, "eligible": 0, "ballots": 0, "gate_yes": 0})
    for r in session.exec(query.order_by(SurveyRun.id.desc())).all():
        row = _row(*r)
        rows.append(row)
        t = totals[row["phase"]]
        t["runs"] += 1
        t["passed"] += int(row["passed"])
        t["eligible"] += row["eligible_households"]
        t["ballots"] += row["ballots"]
        t["gate_yes"] += row["gate_yes"]
    return {"runs": rows, "totals": dict(totals)}


def _row(run_id, title, phase, status, community_id, community, eligible, ballots, yes, threshold, basis,
         closes_at, rule) -> dict:
    """An owners' decision (``rule``) is judged by area and by head on its own page: never passed here."""
    denominator = ballots if basis == "respondents" else eligible
    return {"rule": rule, "run_id": run_id, "title": title, "phase": phase, "status": status,
            "community_id": community_id, "community": community, "eligible_households": eligible, "ballots": ballots, "gate_yes": yes,
            "participation_rate": rate(ballots, eligible), "gate_rate": rate(yes, denominator),
            "threshold": threshold, "closes_at": closes_at.isoformat() if closes_at else None,
            "passed": not rule and denominator > 0 and yes >= math.ceil(threshold * denominator - 1e-9)}
