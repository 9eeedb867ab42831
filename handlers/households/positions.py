"""Where each building stands on its community's plan (set once by an admin, drawn by the complaint map).

A position is a grid cell (``plan_x``, ``plan_y``: columns to the east, rows to the south, so
the plan reads with north up) and/or coordinates (latitude, longitude).  Either pair is all or
nothing; an empty pair clears it.  Errors are in Chinese, by building, and nothing is written
when any row is wrong.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlmodel import Session, select

from models import Building

GRID_MAX = 99  # a community plan has a few dozen buildings at most
PAIRS = (("plan_x", "plan_y", "平面位置", (0.0, GRID_MAX), (0.0, GRID_MAX)),
         ("latitude", "longitude", "经纬度", (-90.0, 90.0), (-180.0, 180.0)))


@dataclass(frozen=True)
class PositionRow:
    """What the form sent for one building: the four fields as typed."""

    building_id: int
    plan_x: str = ""
    plan_y: str = ""
    latitude: str = ""
    longitude: str = ""


def buildings_of(community_id: int, *, session: Session) -> list[Building]:
    """The community's buildings in roster order."""
    return list(session.exec(select(Building).where(Building.community_id == community_id)
                             .order_by(Building.sort_key, Building.name)).all())


def _number(text: str) -> Optional[float]:
    try:
        value = float(text.strip().replace("，", "."))
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _pair(row: PositionRow, first: str, second: str, label: str, limits) -> tuple[tuple, str]:
    """((a, b) or (None, None), error) for one pair of fields."""
    raw = (getattr(row, first).strip(), getattr(row, second).strip())
    if not any(raw):
        return (None, None), ""
    if not all(raw):
        return (None, None), f"{label}要两个数都填，或都不填"
    values = tuple(_number(v) for v in raw)
    if any(v is None for v in values):
        return (None, None), f"{label}只能填数字"
    if not all(lo <= v <= hi for v, (lo, hi) in zip(values, limits)):
        return (None, None), f"{label}超出范围（{limits[0][0]:g}–{limits[0][1]:g}，{limits[1][0]:g}–{limits[1][1]:g}）"
    return values, ""


def save_positions(community_id: int, rows: list[PositionRow], *, session: Session) -> list[str]:
    """Set the positions of the community's buildings; returns errors (nothing saved when there are any)."""
    buildings = {b.id: b for b in buildings_of(community_id, session=session)}
    errors, updates = [], []
    for row in rows:
        building = buildings.get(row.building_id)
        if building is None:
            errors.append("楼栋不属于这个小区")
            continue
        for first, second, label, *limits in PAIRS:
            values, error = _pair(row, first, second, label, limits)
            if error:
                errors.append(f"{building.name}：{error}")
            updates.append((building, first, second, values))
    if errors:
        return errors
    for building, first, second, (a, b) in updates:
        setattr(building, first, a)
        setattr(building, second, b)
        session.add(building)
    session.flush()
    return []
