"""Owners' decisions (业主共同决定, Civil Code art. 278): scope, who is eligible, who may vote, and the count.

A decision is a survey run with a ``rule`` (``owners_majority`` or ``owners_special``) and a ``scope`` (the
whole community, one building "3号楼" or one stairwell "3号楼/2单元").  At publish every flat in scope is
frozen with its area (in 0.01 m², so sums are exact integers) and its owner key; the template's gate question
decides.  Counting (SPC interpretation on building ownership, arts. 8-9): one head per owner key, an owner of
several flats in scope is one head with all their area, unsold developer units together are one head, a flat
with no ID number recorded is its own owner.  The boundaries are compared in integers (no floats):
participation needs ≥ 2/3 of the area and ≥ 2/3 of the heads; ``owners_special`` needs ≥ 3/4 of the
participating area and heads, ``owners_majority`` more than half of each.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from models import Binding, Building, Household
from models.surveys import OWNER_RULES, SurveyEligible, SurveyProxy, SurveyRun
from surveys.errors import NotAllowed, SurveyError

RULE_LABELS = {"owners_majority": "业主过半数同意（双过半）", "owners_special": "业主四分之三以上同意（双四分之三）"}
_BUILDING = re.compile(r"^(\d+)\s*(号楼|号|栋|幢|楼|座)?$")
_UNIT = re.compile(r"^(\d+)\s*(单元)?$")
_ROOM_DIGITS = re.compile(r"(\d+)")


def parse_scope(scope: str | None) -> tuple[str, str | None]:
    """("3号楼", "2") from "3号楼/2单元"; ("", None) for the whole community. Names as the roster keeps them."""
    text = (scope or "").strip().replace("／", "/")
    if not text:
        return "", None
    building, _, unit = (part.strip() for part in text.partition("/"))
    match = _BUILDING.match(building)
    building = f"{int(match.group(1))}号楼" if match else building
    if not unit:
        return building, None
    match = _UNIT.match(unit)
    return building, str(int(match.group(1))) if match else unit


def canonical_scope(scope: str | None) -> str:
    """"3号楼/2单元" whether written "3/2", "3号楼／2单元" or "3栋/2"; "" for the whole community."""
    building, unit = parse_scope(scope)
    return building + (f"/{unit}单元" if unit else "")


def scope_words(scope: str) -> str:
    """How residents read the scope: "3号楼2单元", "3号楼", or "全小区"."""
    building, unit = parse_scope(scope)
    if not building:
        return "全小区"
    return building + (f"{unit}单元" if unit else "")


def floor_of(room: str) -> int | None:
    """The floor a room number tells: 302 → 3, 1204 → 12; None when it does not say (101A, 5)."""
    match = _ROOM_DIGITS.search(room or "")
    digits = match.group(1) if match else ""
    return int(digits[:-2]) if len(digits) >= 3 and int(digits[:-2]) > 0 else None


def head_key(household_id: int, owner_key: str | None) -> str:
    """One head per owner: the ID hash or the developer marker; a flat without either is its own owner."""
    return owner_key or f"flat:{household_id}"


def check_rule(rule: str | None, scope: str | None) -> None:
    if rule is None:
        if scope:
            raise SurveyError("只有业主共同决定（--rule）才能限定表决范围（--scope）")
        return
    if rule not in OWNER_RULES:
        raise SurveyError(f"表决规则应为 {' 或 '.join(OWNER_RULES)}")


def freeze(run: SurveyRun, *, session: Session) -> None:
    """Every flat in the run's scope, eligible whatever its status (a vacant flat still has an owner)."""
    building_name, unit = parse_scope(run.scope)
    query = (select(Household.id, Household.building_id, Household.status, Household.floor_area,
                    Household.owner_key, Household.room)
             .join(Building, Building.id == Household.building_id).where(Household.community_id == run.community_id))
    if building_name:
        query = query.where(Building.name == building_name)
    if unit is not None:
        query = query.where(Household.unit == unit)
    flats = session.exec(query).all()
    if not flats:
        raise SurveyError(f"表决范围“{scope_words(run.scope)}”内没有房屋，请核对楼栋、单元名称或先导入花名册")
    missing = sum(1 for f in flats if not f[3])
    if missing:
        raise SurveyError(f"表决范围内有 {missing} 户没有面积（花名册“面积”列），按面积计票前请先补齐")
    for household_id, building_id, status, area, owner_key, room in flats:
        session.add(SurveyEligible(run_id=run.id, household_id=household_id, building_id=building_id,
                                   status=status, eligible=True, area_c=round(area * 100),
                                   owner_key=head_key(household_id, owner_key), floor=floor_of(room)))
    run.eligible_count, run.excluded_count = len(flats), 0
    session.add(run)
    session.flush()


def voter_refusal(run: SurveyRun, binding: Binding | None, entry: SurveyEligible | None,
                  proxy: bool = False) -> str | None:
    """Why this resident may not vote in an owners' decision (None: they may): in scope, and a verified owner
    (or a verified family member holding an approved authorisation, ``proxy``)."""
    if entry is None or not entry.eligible:
        return f"本次表决仅限{scope_words(run.scope)}的业主参与，您家不在表决范围内。如有疑问请联系社区"
    if binding is not None and binding.verified_at is not None and binding.role == "family" and proxy:
        return None
    if binding is None or binding.role != "owner" or binding.verified_at is None:
        return ("本次是业主共同决定（按《民法典》第二百七十八条表决），只有经社区核实的产权人（业主）可以投票，"
                "租户和家庭成员不能投票（家庭成员持业主签字的委托书、经社区登记后可代为投票）。如您是业主，请联系社区核实身份")
    return None


def check_voter(run: SurveyRun, binding: Binding | None, household_id: int, *, session: Session) -> None:
    proxy = binding is not None and session.exec(
        select(SurveyProxy.id).where(SurveyProxy.run_id == run.id, SurveyProxy.household_id == household_id,
                                     SurveyProxy.resident_id == binding.resident_id)).first() is not None
    refusal = voter_refusal(run, binding, session.get(SurveyEligible, (run.id, household_id)), proxy)
    if refusal:
        raise NotAllowed(refusal)


@dataclass(frozen=True)
class Tally:
    """Heads and areas (0.01 m²) of one decision; ``count`` makes it from flats and ballots."""

    owners_total: int
    area_total: int
    owners_voted: int
    area_voted: int
    owners_yes: int
    area_yes: int


def count(flats: list[tuple[int, str, int]], ballots: dict[int, tuple[bool, datetime]]) -> Tally:
    """``flats``: (household id, head key, area_c); ``ballots``: household id → (gate yes, updated at).

    An owner's latest ballot on any of their flats is their vote, with all their area."""
    heads: dict[str, list] = {}
    for household_id, key, area_c in flats:
        head = heads.setdefault(key, [0, None])
        head[0] += area_c
        ballot = ballots.get(household_id)
        if ballot is not None and (head[1] is None or ballot[1] > head[1][1]):
            head[1] = ballot
    voted = [(area, ballot[0]) for area, ballot in heads.values() if ballot is not None]
    return Tally(owners_total=len(heads), area_total=sum(h[0] for h in heads.values()),
                 owners_voted=len(voted), area_voted=sum(a for a, _ in voted),
                 owners_yes=sum(1 for _, yes in voted if yes), area_yes=sum(a for a, yes in voted if yes))


def participation_passed(t: Tally) -> bool:
    """At least 2/3 of the area and at least 2/3 of the owners took part."""
    return t.owners_total > 0 and 3 * t.owners_voted >= 2 * t.owners_total and 3 * t.area_voted >= 2 * t.area_total


def agreement_passed(rule: str, t: Tally, *, nonvoters_join_majority: bool = False) -> bool:
    """Yes among participants: ≥ 3/4 of each (special) or > 1/2 of each (majority).

    With ``nonvoters_join_majority`` (a local rule, off by default) the non-voters' heads and area join the
    side holding the voters' majority, and agreement is judged among all owners."""
    heads, area, heads_yes, area_yes = t.owners_voted, t.area_voted, t.owners_yes, t.area_yes
    if nonvoters_join_majority:
        voters_agree = _agrees("owners_majority", heads, area, heads_yes, area_yes)  # more than half say yes
        heads, area = t.owners_total, t.area_total
        if voters_agree:
            heads_yes += t.owners_total - t.owners_voted
            area_yes += t.area_total - t.area_voted
    return _agrees(rule, heads, area, heads_yes, area_yes)


def _agrees(rule: str, heads: int, area: int, heads_yes: int, area_yes: int) -> bool:
    if heads == 0:
        return False
    if rule == "owners_special":
        return 4 * heads_yes >= 3 * heads and 4 * area_yes >= 3 * area
    return 2 * heads_yes > heads and 2 * area_yes > area


def still_needed(rule: str, t: Tally) -> dict:
    """Owners and area (0.01 m²) still missing for participation, and yes votes missing among today's voters."""
    join_heads = max(-(-2 * t.owners_total // 3) - t.owners_voted, 0)
    join_area = max(-(-2 * t.area_total // 3) - t.area_voted, 0)
    if rule == "owners_special":
        yes_heads, yes_area = -(-3 * t.owners_voted // 4), -(-3 * t.area_voted // 4)
    else:
        yes_heads, yes_area = t.owners_voted // 2 + 1, t.area_voted // 2 + 1
    return {"participation": {"owners": join_heads, "area_c": join_area},
            "agreement": {"owners": max(yes_heads - t.owners_yes, 0) if t.owners_voted else 0,
                          "area_c": max(yes_area - t.area_yes, 0) if t.area_voted else 0}}
