"""The one place where stored UTC becomes the time a person reads.

Every date or time shown to residents and workers (pages, chat texts, exports,
chart days, file names) goes through these functions, in the zone of
``[app] timezone`` (set once by the app factory with ``use_zone``; Asia/Shanghai
until then).  Storage stays aware UTC (``models.base``).
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Shanghai"
_zone: list[ZoneInfo] = [ZoneInfo(DEFAULT_ZONE)]

DATETIME = "%Y-%m-%d %H:%M"
SHORT = "%m月%d日 %H:%M"  # chat texts about the coming days; never in exports


def use_zone(name: str) -> None:
    """Make ``name`` (an IANA zone, from ``[app] timezone``) the zone people read."""
    _zone[0] = ZoneInfo(name)


def zone() -> ZoneInfo:
    """The zone people read."""
    return _zone[0]


def local(value: datetime) -> datetime:
    """An aware datetime in the local zone."""
    return value.astimezone(zone())


def local_date(value: datetime) -> date:
    """The local calendar day of an instant (what a chart or file name groups by)."""
    return local(value).date()


def show(value: datetime | None, fmt: str = DATETIME) -> str:
    """``value`` formatted in the local zone; empty for None."""
    return local(value).strftime(fmt) if value is not None else ""


def today(now: datetime) -> date:
    """The local day of ``now``."""
    return local_date(now)


def day_start(day: date) -> datetime:
    """The UTC instant the local ``day`` begins."""
    return datetime.combine(day, time.min, zone()).astimezone(timezone.utc)


def excel(value: datetime | None) -> datetime | None:
    """A naive local datetime, what a spreadsheet date cell holds (Excel has no zones)."""
    return local(value).replace(tzinfo=None) if value is not None else None


def stamp(now: datetime) -> str:
    """A local ``YYYYMMDDHHMM`` for file names."""
    return local(now).strftime("%Y%m%d%H%M")
