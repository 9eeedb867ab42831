"""To-do section: open surveys below their gate, with the days left and the three buildings furthest behind.

Two queries whatever the number of runs: the open runs with their counters
(the cache ``surveys.stats.overview`` reads too), then eligible households and
gate-yes ballots per (run, building) for the runs below their gate.
"""
from __future__ import annotations

import math

from flask import url_for
from sqlalchemy import Integer, cast, func
from sqlmodel import select

from bot.console.todo import Entry, Section, Viewer, scope, section
from models import Building, Community
from models.surveys import Ballot, SurveyEligible, SurveyRun
from surveys.stats.gate import rate

BEHIND = 3  # buildings shown per run


def _below_gate(eligible: int, ballots: int, yes: int, threshold: float, basis: str) -> tuple[bool, int]:
    """(below the gate?, households still needed) from a run's counters, as surveys.stats.gate judges."""
    denominator = ballots if basis == "respondents" else eligible
    required = math.ceil(threshold * denominator - 1e-9)
    return not (denominator > 0 and yes >= required), max(required - yes, 0)


def _buildings(viewer: Viewer, run_ids: list[int]) -> dict[int, list[tuple[str, float]]]:
    """run id -> [(building name, gate rate)] lowest first."""
    eligible = (select(SurveyEligible.run_id, SurveyEligible.building_id, func.count().label("n"))
                .where(SurveyEligible.run_id.in_(run_ids), SurveyEligible.eligible)
                .group_by(SurveyEligible.run_id, SurveyEligible.building_id).subquery())
    yes = (select(Ballot.run_id, Ballot.building_id, func.sum(cast(Ballot.gate_yes, Integer)).label("y"))
           .where(Ballot.run_id.in_(run_ids)).group_by(Ballot.run_id, Ballot.building_id).subquery())
    rows = viewer.session.exec(
        select(eligible.c.run_id, Building.name, eligible.c.n, func.coalesce(yes.c.y, 0))
        .join(Building, Building.id == eligible.c.building_id)
        .outerjoin(yes, (yes.c.run_id == eligible.c.run_id) & (yes.c.building_id == eligible.c.building_id))).all()
    result: dict[int, list[tuple[str, float]]] = {}
    for run_id, name, n, y in rows:
        result.setdefault(run_id, []).append((name, rate(int(y), n)))
    return {k: sorted(v, key=lambda b: (b[1], b[0]))[:BEHIND] for k, v in result.items()}


@section
def surveys_below_gate(viewer: Viewer) -> Section | None:
    if viewer.role == "department":
        return None
    runs = viewer.session.exec(scope(
        select(SurveyRun.id, SurveyRun.title, Community.name, SurveyRun.eligible_count, SurveyRun.ballot_count,
               SurveyRun.gate_yes_count, SurveyRun.threshold, SurveyRun.gate_basis, SurveyRun.closes_at)
        .join(Community, Community.id == SurveyRun.community_id).where(SurveyRun.status == "open"),
        SurveyRun.community_id, viewer).order_by(SurveyRun.closes_at, SurveyRun.id)).all()
    behind = [(r, needed) for r in runs for below, needed in [_below_gate(r[3], r[4], r[5], r[6], r[7])] if below]
    buildings = _buildings(viewer, [r[0] for r, _ in behind]) if behind else {}
    entries = [_entry(viewer, r, needed, buildings.get(r[0], [])) for r, needed in behind]
    return Section("surveys", "未达门槛的调查", "没有未达门槛的调查。", entries)


def _entry(viewer: Viewer, r, needed: int, buildings: list[tuple[str, float]]) -> Entry:
    run_id, title, community, eligible, ballots, yes, threshold, _, closes_at = r
    if closes_at is None:
        left = "未设截止时间"
    else:
        left = f"还剩 {max(math.ceil((closes_at - viewer.now).total_seconds() / 86400), 0)} 天"
    behind = "、".join(f"{name} {share * 100:.0f}%" for name, share in buildings)
    detail = (f"同意/满意 {yes}/{eligible} 户，门槛 {threshold * 100:.0f}%，还差 {needed} 户，{left}"
              + (f"；最落后的楼栋：{behind}" if behind else ""))
    return Entry(f"{community} {title}", url_for("console_surveys.run_not_answered", run_id=run_id), needed, detail)
