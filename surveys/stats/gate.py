"""The gate: households saying yes (or satisfied) against the threshold.

The denominator is the eligible households frozen at publish; satisfaction is
also shown among respondents, and the gate is judged on the run's basis.
"""
from __future__ import annotations

import math

from sqlalchemy import Integer, cast, func
from sqlmodel import Session, select

from models import Community
from models.surveys import Ballot, SurveyEligible, SurveyRun, SurveyVersion
from surveys import questions, runs
from surveys.stats import owners


def rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def roster_counts(run_id: int, *, session: Session) -> tuple[int, dict[str, int]]:
    """(eligible households, excluded households by status) from the frozen roster."""
    rows = session.exec(select(SurveyEligible.eligible, SurveyEligible.status, func.count())
                        .where(SurveyEligible.run_id == run_id)
                        .group_by(SurveyEligible.eligible, SurveyEligible.status)).all()
    eligible = sum(n for ok, _, n in rows if ok)
    return eligible, {status: n for ok, status, n in rows if not ok}


def summary(run_id: int, *, session: Session) -> dict:
    """The run's headline figures, recounted from the ballots (the counters are a cache)."""
    run = runs.get(run_id, session=session)
    eligible, excluded = roster_counts(run_id, session=session)
    yes_sum = func.coalesce(func.sum(cast(Ballot.gate_yes, Integer)), 0)
    ballots, yes = session.exec(select(func.count(), yes_sum).where(Ballot.run_id == run_id)).one()
    return figures(run, eligible, excluded, ballots, int(yes), session=session)


def gate_words(d: dict) -> dict:
    """The gate question's title and the labels of the options that count, as people read them."""
    gate = d.get("gate") or {}
    q = next((q for q in d.get("questions", []) if q.get("code") == gate.get("question")), None)
    if q is None:
        return {"gate_title": "", "gate_labels": []}
    labels = {o["code"]: o.get("label", o["code"]) for o in questions.options_of(q)}
    return {"gate_title": q.get("title", ""), "gate_labels": [labels.get(c, c) for c in gate.get("options") or []]}


def figures(run: SurveyRun, eligible: int, excluded: dict[str, int], ballots: int, yes: int, *,
            session: Session) -> dict:
    d = session.get(SurveyVersion, run.version_id).definition
    community = session.get(Community, run.community_id)
    by_eligible, by_respondents = rate(yes, eligible), rate(yes, ballots)
    gate_rate = by_respondents if run.gate_basis == "respondents" else by_eligible
    denominator = ballots if run.gate_basis == "respondents" else eligible
    required = math.ceil(run.threshold * denominator - 1e-9)
    result = {"run_id": run.id, "title": run.title, "phase": run.phase, "community_id": run.community_id,
            "community": community.name if community else "", "status": run.status,
            "version_id": run.version_id, "opens_at": run.opens_at.isoformat(),
            "closes_at": run.closes_at.isoformat() if run.closes_at else None,
            "eligible_households": eligible, "excluded_households": sum(excluded.values()),
            "excluded_by_status": excluded, "excluded_statuses": list(run.excluded_statuses),
            "ballots": ballots, "participation_rate": rate(ballots, eligible),
            "gate_question": (d.get("gate") or {}).get("question"), "gate_options": (d.get("gate") or {}).get("options"),
            **gate_words(d),
            "gate_yes": yes, "gate_rate": gate_rate, "gate_rate_eligible": by_eligible,
            "gate_rate_respondents": by_respondents, "gate_basis": run.gate_basis, "threshold": run.threshold,
            "required_yes": required, "still_needed": max(required - yes, 0),
            "passed": denominator > 0 and yes >= required}
    if run.rule:  # an owners' decision: by area and by head, and ``passed`` under its rule
        result.update(owners.figures(run, session=session))
    return result
