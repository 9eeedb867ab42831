"""Figures of an owners' decision: participation and agreement by area and by head, and who has not voted.

Two queries (the frozen flats and the run's ballots); the count itself is surveys/owners.py, in integers
of 0.01 m².  Areas leave here in m² (two decimals) for people and for ``survey stats --json``.
"""
from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, select

from models import Building, Household
from models.privacy import mask_name
from models.surveys import Ballot, SurveyEligible, SurveyRun
from surveys import owners

THRESHOLDS = {"participation": "2/3", "owners_special": "3/4", "owners_majority": "1/2"}


def m2(area_c: int) -> float:
    return round(area_c / 100, 2)


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def tally(run: SurveyRun, *, session: Session) -> owners.Tally:
    flats = session.exec(select(SurveyEligible.household_id, SurveyEligible.owner_key, SurveyEligible.area_c)
                         .where(SurveyEligible.run_id == run.id, SurveyEligible.eligible)).all()
    ballots = {h: (yes, at) for h, yes, at in session.exec(
        select(Ballot.household_id, Ballot.gate_yes, Ballot.updated_at).where(Ballot.run_id == run.id))}
    return owners.count(list(flats), ballots)


def figures(run: SurveyRun, *, session: Session) -> dict:
    """The keys promised in INTERFACES.md (``rule`` … ``passed``) and what the console page shows besides."""
    t = tally(run, session=session)
    joined = owners.participation_passed(t)
    agreed = owners.agreement_passed(run.rule, t, nonvoters_join_majority=run.nonvoters_join_majority)
    needed = owners.still_needed(run.rule, t)
    return {"rule": run.rule, "rule_label": owners.RULE_LABELS[run.rule], "scope": run.scope,
            "scope_words": owners.scope_words(run.scope), "nonvoters_join_majority": run.nonvoters_join_majority,
            "owners_total": t.owners_total, "area_total": m2(t.area_total),
            "owners_voted": t.owners_voted, "area_voted": m2(t.area_voted),
            "owners_yes": t.owners_yes, "area_yes": m2(t.area_yes),
            "owners_participation_rate": _rate(t.owners_voted, t.owners_total),
            "area_participation_rate": _rate(t.area_voted, t.area_total),
            "owners_agreement_rate": _rate(t.owners_yes, t.owners_voted),
            "area_agreement_rate": _rate(t.area_yes, t.area_voted),
            "participation_threshold": THRESHOLDS["participation"], "agreement_threshold": THRESHOLDS[run.rule],
            "owners_still_needed": {stage: {"owners": n["owners"], "area": m2(n["area_c"])}
                                    for stage, n in needed.items()},
            "participation_passed": joined, "agreement_passed": agreed, "passed": joined and agreed}


def not_voted_by_floor(run: SurveyRun, *, session: Session) -> list[dict]:
    """Flats whose owner has not voted (on any of their flats), by building, unit and floor; names masked."""
    rows = session.exec(
        select(SurveyEligible.household_id, SurveyEligible.owner_key, SurveyEligible.floor, SurveyEligible.area_c,
               Building.name, Building.sort_key, Household.unit, Household.room, Household.owner_name)
        .join(Household, Household.id == SurveyEligible.household_id)
        .join(Building, Building.id == SurveyEligible.building_id)
        .where(SurveyEligible.run_id == run.id, SurveyEligible.eligible)).all()
    voted_flats = set(session.exec(select(Ballot.household_id).where(Ballot.run_id == run.id)))
    voted_heads = {r[1] for r in rows if r[0] in voted_flats}
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for _, key, floor, area_c, building, sort_key, unit, room, name in rows:
        if key in voted_heads:
            continue
        groups[(sort_key, building, unit, floor if floor is not None else 0)].append(
            {"room": room, "owner": mask_name(name), "area": m2(area_c)})
    return [{"building": b, "unit": u, "floor": f or None, "flats": sorted(flats, key=lambda x: x["room"])}
            for (_, b, u, f), flats in sorted(groups.items(), key=lambda item: item[0])]
