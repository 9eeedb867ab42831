"""A notice's scope: the whole community, one building, or one stairwell (building + unit).

Written by workers as ``3号楼`` or ``3号楼/2单元`` (the unit also as ``2``); stored as
``building_id`` and ``unit`` (as the roster holds it).  Who is in scope: every resident
with an active binding (not ended) to a household there, each once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlmodel import Session, select

from models import Binding, Building, Household, Resident

WHOLE = "全小区"


class ScopeError(ValueError):
    """The scope names a building or stairwell the community does not have."""


@dataclass(frozen=True)
class Scope:
    building_id: Optional[int] = None
    unit: str = ""


def unit_names(unit: str) -> tuple[str, ...]:
    """The ways a roster may spell one unit: ``2`` and ``2单元``."""
    bare = unit.strip().removesuffix("单元").strip()
    return (bare, f"{bare}单元") if bare else ()


def find_building(community_id: int, name: str, *, session: Session) -> Building | None:
    name = name.strip()
    names = {name, name.removesuffix("号楼"), name.removesuffix("栋"), f"{name}号楼"}
    rows = session.exec(select(Building).where(Building.community_id == community_id,
                                               Building.name.in_(sorted(names)))).all()
    exact = [b for b in rows if b.name == name]
    return (exact or rows or [None])[0]


def parse(community_id: int, text: str | None, *, session: Session) -> Scope:
    """``""``/``全小区`` → the community; ``3号楼`` → a building; ``3号楼/2单元`` → a stairwell."""
    text = (text or "").strip()
    if not text or text == WHOLE:
        return Scope()
    building_name, _, unit = text.replace("／", "/").partition("/")
    building = find_building(community_id, building_name, session=session)
    if building is None:
        raise ScopeError(f"本小区没有这栋楼: {building_name.strip()}")
    if not unit.strip():
        return Scope(building.id)
    found = session.exec(select(Household.unit).where(Household.building_id == building.id,
                                                      Household.unit.in_(unit_names(unit)))).first()
    if found is None:
        raise ScopeError(f"{building.name}没有这个单元: {unit.strip()}")
    return Scope(building.id, found)


def label(building_id: int | None, unit: str, *, session: Session) -> str:
    """How people read a scope: 全小区, 3号楼, 3号楼/2单元."""
    if building_id is None:
        return WHOLE
    building = session.get(Building, building_id)
    name = building.name if building else "?"
    if not unit:
        return name
    return f"{name}/{unit if unit.endswith('单元') else unit + '单元'}"


def recipients(community_id: int, scope: Scope, *, session: Session) -> list[str]:
    """The openids of every active resident bound (binding not ended) to a household in scope."""
    return sorted(session.exec(recipients_query(community_id, scope)).all())


def recipients_query(community_id: int, scope: Scope):
    """SELECT DISTINCT the openids ``recipients`` returns (for queueing in one statement)."""
    query = (select(Resident.openid).join(Binding, Binding.resident_id == Resident.id)
             .join(Household, Household.id == Binding.household_id)
             .where(Binding.ended_at.is_(None), Resident.active, Household.community_id == community_id))
    if scope.building_id is not None:
        query = query.where(Household.building_id == scope.building_id)
        if scope.unit:
            query = query.where(Household.unit.in_(unit_names(scope.unit)))
    return query.distinct()


def in_scope(building_id: int | None, unit: str, household: Household) -> bool:
    """Whether a household is in a notice's scope."""
    if building_id is None:
        return True
    return building_id == household.building_id and (not unit or household.unit in unit_names(unit))


def choices(community_id: int, *, session: Session) -> list[str]:
    """Every scope a worker may pick: 全小区, each building, each building's stairwells (roster order)."""
    rows = session.exec(select(Building.sort_key, Building.name, Household.unit)
                        .join(Household, Household.building_id == Building.id)
                        .where(Building.community_id == community_id).distinct()
                        .order_by(Building.sort_key, Building.name, Household.unit)).all()
    found = [WHOLE]
    for _, name, unit in rows:
        if name not in found:
            found.append(name)
        if unit:
            found.append(f"{name}/{unit if unit.endswith('单元') else unit + '单元'}")
    return found
