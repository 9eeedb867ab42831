"""Duplicate suggestions: same category, within ``duplicate_radius_m``, recent days."""
from __future__ import annotations

import math
from datetime import timedelta

from sqlmodel import select

from handlers.complaints.env import Env
from handlers.complaints.states import LIVE_STATES
from models import Complaint

EARTH_M = 6_371_000



def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine), metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_M * math.asin(math.sqrt(a))


def suggestions(complaint: Complaint, *, env: Env, limit: int = 5) -> list[tuple[Complaint, float]]:
    """Likely originals of ``complaint``, nearest first: (complaint, metres)."""
    if complaint.latitude is None or not complaint.category:
        return []
    cfg = env.cfg
    since = complaint.created_at - timedelta(days=cfg.duplicate_days)
    # A bounding box first (uses no trigonometry in SQL), then the exact distance.
    dlat = cfg.duplicate_radius_m / 111_320
    dlng = dlat / max(math.cos(math.radians(complaint.latitude)), 0.01)
    rows = env.session.exec(select(Complaint).where(
        Complaint.id != complaint.id, Complaint.category == complaint.category, Complaint.state.in_(LIVE_STATES),
        Complaint.created_at >= since, Complaint.duplicate_of_id.is_(None),
        Complaint.latitude.between(complaint.latitude - dlat, complaint.latitude + dlat),
        Complaint.longitude.between(complaint.longitude - dlng, complaint.longitude + dlng))).all()
    near = [(c, distance_m(complaint.latitude, complaint.longitude, c.latitude, c.longitude)) for c in rows]
    near = [(c, d) for c, d in near if d <= cfg.duplicate_radius_m]
    return sorted(near, key=lambda pair: pair[1])[:limit]
