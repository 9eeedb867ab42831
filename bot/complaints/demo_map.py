"""Demo data for the complaint map: where the demo community's four buildings stand.

Set only while none of its buildings has a position, so an admin's own plan is never overwritten.
"""
from __future__ import annotations

from sqlmodel import Session

from bot.demo import ensure_community
from handlers.households.positions import PositionRow, buildings_of, save_positions

# name → (column, row, latitude, longitude): two rows of two, near the demo complaints' coordinates.
POSITIONS = {"1号楼": ("1", "1", "38.0428", "114.5094"), "2号楼": ("2", "1", "38.0428", "114.5104"),
             "3号楼": ("1", "2", "38.0420", "114.5094"), "4号楼": ("2", "2", "38.0420", "114.5104")}


def load(*, session: Session) -> list[str]:
    community = ensure_community(session=session)
    buildings = buildings_of(community.id, session=session)
    if not buildings or any(b.plan_x is not None or b.latitude is not None for b in buildings):
        return []
    rows = [PositionRow(b.id, *POSITIONS[b.name]) for b in buildings if b.name in POSITIONS]
    save_positions(community.id, rows, session=session)
    return [f"诉求地图：已为{community.name}的 {len(rows)} 栋楼设置平面位置（控制台“诉求地图”）"]
