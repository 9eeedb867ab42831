"""Elevator cost sharing by floor (加装电梯费用分摊): the local formula as data on the template.

A definition may carry ``"cost_sharing": {"total": 600000, "floor_coefficients": {"1": 0, "2": 0.6, "3": 0.8},
"by_area": false}``: each flat of the decision's frozen scope weighs its floor's coefficient (times its area
when ``by_area``), and pays ``total × its weight / all weights``.  A floor with coefficient 0, or not listed,
pays nothing (the ground floor is usually exempt).  Arithmetic in fractions; the estimate is shown rounded to
yuan to an owner before they vote ("您家3楼，预计分摊约 X 元").
"""
from __future__ import annotations

from fractions import Fraction

from sqlmodel import Session, select

from models.surveys import SurveyEligible, SurveyRun, SurveyVersion


def check(spec) -> list[str]:
    """Problems of a definition's ``cost_sharing`` (none when absent)."""
    if spec is None:
        return []
    if not isinstance(spec, dict):
        return ["cost_sharing 须为对象：total、floor_coefficients、by_area"]
    problems = []
    total = spec.get("total")
    if isinstance(total, bool) or not isinstance(total, (int, float)) or total <= 0:
        problems.append("cost_sharing.total 须为正数（元）")
    table = spec.get("floor_coefficients")
    if not isinstance(table, dict) or not table:
        problems.append("cost_sharing.floor_coefficients 须按楼层给出系数，如 {\"1\": 0, \"2\": 0.6}")
    else:
        for floor, coefficient in table.items():
            if not str(floor).isdigit() or isinstance(coefficient, bool) or \
                    not isinstance(coefficient, (int, float)) or coefficient < 0:
                problems.append(f"cost_sharing 第{floor}层的系数须为不小于 0 的数")
    if not isinstance(spec.get("by_area", False), bool):
        problems.append("cost_sharing.by_area 须为 true 或 false")
    return problems


def _weight(spec: dict, floor: int | None, area_c: int) -> Fraction:
    coefficient = Fraction(str((spec["floor_coefficients"]).get(str(floor), 0))) if floor else Fraction(0)
    return coefficient * (area_c if spec.get("by_area") else 1)


def shares(run: SurveyRun, *, session: Session) -> dict[int, dict]:
    """Household id → {"floor", "yuan"} for every flat of the decision's scope; {} without a table."""
    spec = session.get(SurveyVersion, run.version_id).definition.get("cost_sharing")
    if not spec:
        return {}
    flats = session.exec(select(SurveyEligible.household_id, SurveyEligible.floor, SurveyEligible.area_c)
                         .where(SurveyEligible.run_id == run.id, SurveyEligible.eligible)).all()
    weights = {h: _weight(spec, floor, area_c) for h, floor, area_c in flats}
    whole = sum(weights.values())
    total = Fraction(str(spec["total"]))
    return {h: {"floor": floor, "yuan": round(total * weights[h] / whole) if whole else 0}
            for h, floor, _ in flats}


def share_of(run: SurveyRun, household_id: int, *, session: Session) -> dict | None:
    """The flat's estimated share, or None (no table, or the flat is not in the scope)."""
    if not run.rule:
        return None
    return shares(run, session=session).get(household_id)
