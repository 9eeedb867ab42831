"""Hot spots: the same problem reported again and again at the same place.

Two complaints of the same category are at the same place when they are about the same
building (``places.place_all``) or their coordinates lie within ``radius_m`` of each other;
a hot spot is a group so linked (transitively) with at least ``min_count`` complaints.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional

from handlers.complaints.duplicates import distance_m
from models import Complaint


@dataclass
class HotSpot:
    category: str
    building_id: Optional[int]  # the building most of its complaints are about, if any
    complaints: list[Complaint] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.complaints)

    @property
    def latest(self) -> datetime:
        return max(c.submitted_at or c.created_at for c in self.complaints)

    @property
    def label(self) -> str:
        """A place words can name when no building is known: the first location label given."""
        return next((c.location_label for c in self.complaints if c.location_label), "")


def _linked(a: Complaint, b: Complaint, places: dict, radius_m: float) -> bool:
    if places.get(a.id) is not None and places.get(a.id) == places.get(b.id):
        return True
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return False
    return distance_m(a.latitude, a.longitude, b.latitude, b.longitude) <= radius_m


def _groups(items: list[Complaint], places: dict, radius_m: float) -> list[list[Complaint]]:
    """Connected groups (union-find; a category rarely has more than a few dozen recent reports)."""
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if _linked(items[i], items[j], places, radius_m):
                parent[root(i)] = root(j)
    groups = defaultdict(list)
    for i, item in enumerate(items):
        groups[root(i)].append(item)
    return list(groups.values())


def _main_building(group: list[Complaint], places: dict) -> Optional[int]:
    counts: dict[int, int] = defaultdict(int)
    for c in group:
        if places.get(c.id) is not None:
            counts[places[c.id]] += 1
    return max(counts, key=lambda b: (counts[b], -b)) if counts else None


def hot_spots(complaints: list[Complaint], places: dict[int, Optional[int]], *, radius_m: float,
              min_count: int = 2) -> list[HotSpot]:
    """Hot spots among ``complaints`` (already limited to the recent days), biggest and latest first."""
    by_category: dict[str, list[Complaint]] = defaultdict(list)
    for c in complaints:
        if c.category:
            by_category[c.category].append(c)
    found = []
    for category, items in by_category.items():
        for group in _groups(items, places, radius_m):
            if len(group) >= min_count:
                group.sort(key=lambda c: c.submitted_at or c.created_at, reverse=True)
                found.append(HotSpot(category, _main_building(group, places), group))
    return sorted(found, key=lambda h: (-h.count, -h.latest.timestamp()))
