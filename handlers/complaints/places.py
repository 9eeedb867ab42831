"""Which building a complaint is about, for the complaint map and its hot spots.

In order of trust: a building the resident named ("3号楼楼道…" in the description or the
location label), the positioned building nearest to the complaint's coordinates (photo GPS
or a shared location) within ``near_m``, else the building of the reporter's household.
A complaint none of these places stays unplaced (counted, never guessed).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional

from sqlmodel import Session, select

from handlers.complaints.duplicates import distance_m
from models import Binding, Building, Complaint, Household


@dataclass(frozen=True)
class Spot:
    """A building as the map needs it."""

    id: int
    name: str
    plan_x: Optional[float] = None
    plan_y: Optional[float] = None
    latitude: Optional[float] = None
    longitude: Optional[float] = None

    @property
    def on_grid(self) -> bool:
        return self.plan_x is not None and self.plan_y is not None

    @property
    def on_earth(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def spots_of(community_id: int, *, session: Session) -> list[Spot]:
    """The community's buildings with their positions (any set or not)."""
    rows = session.exec(select(Building).where(Building.community_id == community_id)
                        .order_by(Building.sort_key, Building.name)).all()
    return [Spot(b.id, b.name, b.plan_x, b.plan_y, b.latitude, b.longitude) for b in rows]


def _name_pattern(name: str) -> re.Pattern:
    """"3" is read as 3号楼/3栋/3#; "3号楼" as itself; never inside "13号楼"."""
    forms = [f"{name}号楼", f"{name}栋", f"{name}#", f"{name}幢"] if name.isdigit() else [name]
    return re.compile(r"(?<![0-9０-９])(?:" + "|".join(re.escape(f) for f in forms) + ")")


def named_building(text: str, spots: list[Spot]) -> Optional[int]:
    """The building the words name (the longest name when several match), else None."""
    found = [s for s in spots if text and _name_pattern(s.name).search(text)]
    return max(found, key=lambda s: len(s.name)).id if found else None


def nearest_building(lat: Optional[float], lng: Optional[float], spots: list[Spot], near_m: float) -> Optional[int]:
    """The positioned building nearest to (lat, lng), if within ``near_m`` metres."""
    if lat is None or lng is None:
        return None
    scored = [(distance_m(lat, lng, s.latitude, s.longitude), s.id) for s in spots if s.on_earth]
    best = min(scored, default=None)
    return best[1] if best and best[0] <= near_m else None


def reporter_buildings(resident_ids: Iterable[int], community_id: int, *, session: Session) -> dict[int, int]:
    """resident id → building of their current household in this community (one query)."""
    ids = sorted({r for r in resident_ids if r is not None})
    if not ids:
        return {}
    rows = session.exec(select(Binding.resident_id, Household.building_id)
                        .join(Household, Household.id == Binding.household_id)
                        .where(Binding.resident_id.in_(ids), Binding.ended_at.is_(None),
                               Household.community_id == community_id)
                        .order_by(Binding.created_at)).all()
    return {resident_id: building_id for resident_id, building_id in rows}


def place_all(complaints: list[Complaint], spots: list[Spot], community_id: int,
              *, session: Session, near_m: float) -> dict[int, Optional[int]]:
    """complaint id → building id (or None) for every complaint given."""
    homes = reporter_buildings((c.resident_id for c in complaints), community_id, session=session)
    placed = {}
    for c in complaints:
        words = f"{c.location_label} {c.description}"
        placed[c.id] = (named_building(words, spots) or nearest_building(c.latitude, c.longitude, spots, near_m)
                        or homes.get(c.resident_id))
    return placed
