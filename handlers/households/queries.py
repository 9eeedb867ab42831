"""Read models for the console: households by page, residents of a household, requests.

Pages are keyset-paginated on the list index (community, building, unit, room),
so page 4,000 costs what page 1 costs, even with 200,000 households.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import re

from sqlalchemy import func, or_, tuple_
from sqlmodel import Session, select

from models import Binding, BindingRequest, Building, Community, Household, Resident

Cursor = tuple[int, int, str, str]


@dataclass(frozen=True)
class HouseholdFilter:
    community_ids: frozenset[int] | None = None  # None: every community (admins)
    community_id: int | None = None
    building_id: int | None = None
    status: str | None = None
    search: str = ""


@dataclass
class HouseholdPage:
    rows: list[tuple[Household, str]]  # (household, building name)
    next_cursor: Cursor | None = None
    prev_cursor: Cursor | None = None
    total: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _key():
    return (Household.community_id, Household.building_id, Household.unit, Household.room)


def _filtered(query, f: HouseholdFilter):
    if f.community_ids is not None:
        query = query.where(Household.community_id.in_(list(f.community_ids) or [-1]))
    if f.community_id is not None:
        query = query.where(Household.community_id == f.community_id)
    if f.building_id is not None:
        query = query.where(Household.building_id == f.building_id)
    if f.status:
        query = query.where(Household.status == f.status)
    term = f.search.strip()
    if term:
        like = f"%{term.replace('%', '').replace('_', '')}%"
        matches = [Household.room == term, Household.owner_name.like(like)]
        phone = phone_term(term)
        if phone:  # whole numbers only: a suffix search would undo the list's masking (issue 17 item 9)
            stored = func.replace(func.replace(Household.phone, "-", ""), "+86", "")
            matches.append(stored == phone)
        query = query.where(or_(*matches))
    return query


_PHONE_SEPARATORS = re.compile(r"[\s\-()（）]")


def phone_term(term: str) -> str | None:
    """The whole phone number a search term spells (+86 and separators dropped), else None.

    Fewer than 7 digits is not a phone number: ``0001`` finds room 0001, never a phone ending in it.
    """
    digits = _PHONE_SEPARATORS.sub("", term)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix):]
    return digits if digits.isascii() and digits.isdigit() and 7 <= len(digits) <= 15 else None


def household_page(f: HouseholdFilter, *, session: Session, after: Cursor | None = None,
                   before: Cursor | None = None, size: int = 50, with_total: bool = True) -> HouseholdPage:
    """One page of households in list order, after (or before) a cursor."""
    key = _key()
    query = _filtered(select(Household, Building.name).join(Building, Building.id == Household.building_id), f)
    if before is not None:
        query = query.where(tuple_(*key) < tuple_(*before)).order_by(*(k.desc() for k in key))
    else:
        if after is not None:
            query = query.where(tuple_(*key) > tuple_(*after))
        query = query.order_by(*key)
    rows = list(session.exec(query.limit(size + 1)))
    more = len(rows) > size
    rows = rows[:size]
    if before is not None:
        rows.reverse()
    page = HouseholdPage(rows=[(h, name) for h, name in rows])
    if rows:
        first, last = cursor_of(rows[0][0]), cursor_of(rows[-1][0])
        page.next_cursor = last if (more or before is not None) else None
        page.prev_cursor = first if (after is not None or (before is not None and more)) else None
    if with_total:
        page.total = session.exec(_filtered(select(func.count()).select_from(Household), f)).one()
    return page


def cursor_of(h: Household) -> Cursor:
    return h.community_id, h.building_id, h.unit, h.room


def encode_cursor(cursor: Cursor | None) -> str:
    return "" if cursor is None else "~".join(str(part) for part in cursor)


CURSOR_ID_MAX = 2**31 - 1  # the ids are integer columns: a larger one names nothing


def decode_cursor(text: str | None) -> Cursor | None:
    """The cursor ``encode_cursor`` wrote, or None for anything else (ids must be plain, in range)."""
    parts = (text or "").split("~")
    if len(parts) != 4 or not all(p.isascii() and p.isdigit() and len(p) <= 10 for p in parts[:2]):
        return None
    ids = int(parts[0]), int(parts[1])
    if max(ids) > CURSOR_ID_MAX:
        return None
    return ids[0], ids[1], parts[2], parts[3]


def communities_visible(ids: frozenset[int] | None, *, session: Session) -> list[Community]:
    query = select(Community).order_by(Community.name)
    if ids is not None:
        query = query.where(Community.id.in_(list(ids) or [-1]))
    return list(session.exec(query))


def community_counts(ids: list[int], *, session: Session) -> dict[int, tuple[int, int]]:
    """(buildings, households) per community."""
    buildings = dict(session.exec(select(Building.community_id, func.count()).where(
        Building.community_id.in_(ids)).group_by(Building.community_id)).all())
    households = dict(session.exec(select(Household.community_id, func.count()).where(
        Household.community_id.in_(ids)).group_by(Household.community_id)).all())
    return {cid: (buildings.get(cid, 0), households.get(cid, 0)) for cid in ids}


def buildings_of(community_id: int, *, session: Session) -> list[Building]:
    return list(session.exec(select(Building).where(Building.community_id == community_id)
                             .order_by(Building.sort_key, Building.name)))


def residents_of(household_id: int, *, session: Session, include_ended: bool = True
                 ) -> list[tuple[Binding, Resident]]:
    query = select(Binding, Resident).join(Resident, Resident.id == Binding.resident_id).where(
        Binding.household_id == household_id)
    if not include_ended:
        query = query.where(Binding.ended_at.is_(None))
    return list(session.exec(query.order_by(Binding.ended_at.is_not(None), Binding.created_at.desc())))


def pending_requests(ids: frozenset[int] | None, limit: int = 200, *,
                     session: Session, household_id: int | None = None) -> list[tuple[BindingRequest, Household,
                                                                                      Resident]]:
    """Requests waiting for a worker, oldest first, in the visible communities (or of one household)."""
    query = (select(BindingRequest, Household, Resident)
             .join(Household, Household.id == BindingRequest.household_id)
             .join(Resident, Resident.id == BindingRequest.resident_id)
             .where(BindingRequest.status == "pending"))
    if ids is not None:
        query = query.where(Household.community_id.in_(list(ids) or [-1]))
    if household_id is not None:
        query = query.where(BindingRequest.household_id == household_id)
    return list(session.exec(query.order_by(BindingRequest.created_at).limit(limit)))
