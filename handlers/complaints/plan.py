"""The complaint map's plan: buildings and complaint markers in SVG coordinates (no tiles, no scripts).

Three ways to draw, chosen by what is known:
- ``grid``: some buildings have a grid cell; complaints sit at the building they are about.
- ``geo``: no grid, but coordinates (of buildings or complaints); everything is projected
  locally (equirectangular around the middle, fine over a few hundred metres), north up,
  with a scale bar.  A complaint without coordinates sits at its positioned building.
- ``empty``: nothing can be placed.
The template (console/complaints/map.html) draws what this returns.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Optional

from handlers.complaints.places import Spot
from handlers.complaints.states import in_map_group
from models import Complaint

WIDTH, PAD, MIN_HEIGHT, MAX_HEIGHT = 800, 48, 300, 640
M_PER_DEG = 111_320
BLOCK_W, BLOCK_H = 0.8, 0.5  # grid cells a building block covers
GEO_BLOCK = (44, 24)  # pixels of a building block drawn at coordinates
MARKER_GAP = 18
MAX_AROUND = 24  # markers drawn around one building; the rest is a "+N"
# The legend: state groups with their colour (distinct for common colour blindness: blue/orange/purple/green/grey).
STATE_GROUPS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("review", "待审核", in_map_group("review"), "#e67e22"),
    ("working", "办理中", in_map_group("working"), "#2563eb"),
    ("rating", "待评价", in_map_group("rating"), "#8e44ad"),
    ("closed", "已办结", in_map_group("closed"), "#2e8b57"),
    ("ended", "不予受理或已合并", in_map_group("ended"), "#8a8f98"),
)
GROUP_OF = {state: key for key, _label, states, _colour in STATE_GROUPS for state in states}
COLOUR_OF = {key: colour for key, _label, _states, colour in STATE_GROUPS}


@dataclass
class Block:
    id: int
    name: str
    x: float
    y: float
    w: float
    h: float
    extra: int = 0  # markers not drawn for lack of room


@dataclass
class Marker:
    complaint: Complaint
    x: float
    y: float
    group: str
    building: str = ""

    @property
    def colour(self) -> str:
        return COLOUR_OF[self.group]


@dataclass
class Plan:
    mode: str
    blocks: list[Block] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    unplaced: list[Complaint] = field(default_factory=list)
    scale_m: int = 0  # geo: length of the scale bar in metres
    scale_px: float = 0.0
    width: int = WIDTH
    height: int = MIN_HEIGHT


class _Fit:
    """Maps a box of plan units onto the canvas, same scale on both axes, centred.

    The canvas is always WIDTH wide; its height follows the box (a community laid out in one
    row of buildings gets a low plan, not a tall empty one)."""

    def __init__(self, xs: list[float], ys: list[float], min_span: tuple[float, float], margin: float):
        x0, x1, y0, y1 = min(xs) - margin, max(xs) + margin, min(ys) - margin, max(ys) + margin
        span_x, span_y = max(x1 - x0, min_span[0]), max(y1 - y0, min_span[1])
        inner_w = WIDTH - 2 * PAD
        self.height = int(min(MAX_HEIGHT, max(MIN_HEIGHT, 2 * PAD + span_y * inner_w / span_x)))
        self.k = min(inner_w / span_x, (self.height - 2 * PAD) / span_y)
        self.ox = PAD + (inner_w - (x1 - x0) * self.k) / 2 - x0 * self.k
        self.oy = PAD + ((self.height - 2 * PAD) - (y1 - y0) * self.k) / 2 - y0 * self.k

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return round(self.ox + x * self.k, 1), round(self.oy + y * self.k, 1)


def _around(block: Block, n: int) -> list[tuple[float, float]]:
    """Slots for n markers in rows centred on a block (a crowded block's rows run past its edges)."""
    per_row = max(3, int(block.w // MARKER_GAP))
    rows = math.ceil(n / per_row)
    top = block.y + block.h / 2 - (rows - 1) * MARKER_GAP / 2
    slots = []
    for i in range(n):
        row, col = divmod(i, per_row)
        in_row = min(per_row, n - row * per_row)
        slots.append((round(block.x + block.w / 2 + (col - (in_row - 1) / 2) * MARKER_GAP, 1),
                      round(top + row * MARKER_GAP, 1)))
    return slots


def _at_blocks(plan: Plan, blocks: dict[int, Block], waiting: dict[int, list[Complaint]], names: dict) -> None:
    for building_id, items in waiting.items():
        block = blocks[building_id]
        shown = items[:MAX_AROUND]
        block.extra = len(items) - len(shown)
        for c, (x, y) in zip(shown, _around(block, len(shown))):
            plan.markers.append(Marker(c, x, y, GROUP_OF.get(c.state, "ended"), names[building_id]))


def _grid(spots: list[Spot], complaints: list[Complaint], places: dict) -> Plan:
    placed = [s for s in spots if s.on_grid]
    fit = _Fit([s.plan_x for s in placed] + [s.plan_x + BLOCK_W for s in placed],
               [s.plan_y for s in placed] + [s.plan_y + BLOCK_H for s in placed], min_span=(3, 1.5), margin=0.4)
    plan, blocks = Plan("grid", height=fit.height), {}
    for s in placed:
        (x, y), (x2, y2) = fit(s.plan_x, s.plan_y), fit(s.plan_x + BLOCK_W, s.plan_y + BLOCK_H)
        blocks[s.id] = Block(s.id, s.name, x, y, round(x2 - x, 1), round(y2 - y, 1))
    plan.blocks = list(blocks.values())
    waiting: dict[int, list[Complaint]] = {}
    for c in complaints:
        if places.get(c.id) in blocks:
            waiting.setdefault(places[c.id], []).append(c)
        else:
            plan.unplaced.append(c)
    _at_blocks(plan, blocks, waiting, {s.id: s.name for s in spots})
    return plan


def _metres(lat0: float, lng0: float):
    cos0 = math.cos(math.radians(lat0))
    return lambda lat, lng: ((lng - lng0) * cos0 * M_PER_DEG, (lat0 - lat) * M_PER_DEG)


def _nice_scale(k: float) -> tuple[int, float]:
    """A round length (m) whose bar is about a fifth of the canvas."""
    target = (WIDTH - 2 * PAD) / 5 / k
    best = min((10, 20, 50, 100, 200, 500, 1000, 2000), key=lambda m: abs(math.log(m / target)))
    return best, round(best * k, 1)


def _step_aside(x: float, y: float, n: int) -> tuple[float, float]:
    """The n-th marker at the very same point, moved onto a small spiral so that none hides another."""
    if n == 0:
        return x, y
    radius = MARKER_GAP * (0.7 + 0.15 * n)
    return round(x + radius * math.cos(n * 2.4), 1), round(y + radius * math.sin(n * 2.4), 1)


def _geo(spots: list[Spot], complaints: list[Complaint], places: dict) -> Plan:
    points = [(s.latitude, s.longitude) for s in spots if s.on_earth]
    points += [(c.latitude, c.longitude) for c in complaints if c.latitude is not None and c.longitude is not None]
    lat0, lng0 = sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
    to_m = _metres(lat0, lng0)
    xy = [to_m(lat, lng) for lat, lng in points]
    fit = _Fit([p[0] for p in xy], [p[1] for p in xy], min_span=(100, 60), margin=15)
    plan, blocks = Plan("geo", height=fit.height), {}
    for s in (s for s in spots if s.on_earth):
        x, y = fit(*to_m(s.latitude, s.longitude))
        blocks[s.id] = Block(s.id, s.name, x - GEO_BLOCK[0] / 2, y - GEO_BLOCK[1] / 2, *GEO_BLOCK)
    plan.blocks, names, waiting, taken = list(blocks.values()), {s.id: s.name for s in spots}, {}, {}
    for c in complaints:
        building = names.get(places.get(c.id), "")
        if c.latitude is not None and c.longitude is not None:
            x, y = fit(*to_m(c.latitude, c.longitude))
            taken[(x, y)] = taken.get((x, y), -1) + 1
            x, y = _step_aside(x, y, taken[(x, y)])
            plan.markers.append(Marker(c, x, y, GROUP_OF.get(c.state, "ended"), building))
        elif places.get(c.id) in blocks:
            waiting.setdefault(places[c.id], []).append(c)
        else:
            plan.unplaced.append(c)
    _at_blocks(plan, blocks, waiting, names)
    plan.scale_m, plan.scale_px = _nice_scale(fit.k)
    return plan


def layout(spots: list[Spot], complaints: list[Complaint], places: dict[int, Optional[int]]) -> Plan:
    """The plan of one community: buildings, markers and what could not be placed."""
    if any(s.on_grid for s in spots):
        return _grid(spots, complaints, places)
    located = any(s.on_earth for s in spots) or any(c.latitude is not None for c in complaints)
    if located:
        return _geo(spots, complaints, places)
    return Plan("empty", unplaced=list(complaints))
