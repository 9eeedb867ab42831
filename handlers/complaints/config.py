"""Typed view of the ``[complaints]`` configuration section."""
from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class ComplaintSettings:
    quiet_minutes: int = 10
    urgent_hours: int = 24
    general_workdays: int = 7
    complex_workdays: int = 15
    review_workdays: int = 1
    sign_workdays: int = 1
    urgent_review_hours: int = 24  # urgent categories: calendar hours, weekends and holidays included
    urgent_sign_hours: int = 24
    warn_fraction: float = 0.8
    max_returns: int = 3
    need_info_days: int = 7
    rating_days: int = 7
    duplicate_radius_m: float = 200
    duplicate_days: int = 7
    hotspot_radius_m: float = 50  # the complaint map: same place (and nearest building) within this
    hotspot_days: int = 14  # ... and reported in these recent days
    media_expire_days: int = 3
    fetch_backoff_s: int = 30
    fetch_backoff_max_s: int = 3600
    fetch_batch: int = 20
    max_photo_bytes: int = 20 * 1024 * 1024
    max_photo_pixels: int = 60_000_000
    max_side_px: int = 2048
    thumb_px: int = 400
    calendar_file: str = ""


def complaint_settings(settings: dict) -> ComplaintSettings:
    """From the whole configuration dict (unknown keys ignored)."""
    section = settings.get("complaints", {}) if settings else {}
    names = {f.name for f in fields(ComplaintSettings)}
    return ComplaintSettings(**{k: v for k, v in section.items() if k in names})
