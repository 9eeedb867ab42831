"""Every state a complaint can be in, defined once (the one table; FixMyStreet's state table).

Per state: what staff read, what the resident reads, whether it is *open* (someone
owes the next step and a time limit runs: queues, the deadlines job, departments'
open counts), whether it is *live* (it may still be the original of a duplicate),
the deadline clock entering it starts (``deadlines.CLOCKS``; a transition may name
another, lifecycle.TRANSITIONS), its Open311 status and its group on the
complaint map.  Everything else (``OPEN_STATES``, ``LIVE_STATES``, the label dicts,
Open311's mapping, the map's groups) is derived here; a new state is one row,
and tests/handlers/complaints/test_states.py fails when a row misses a part.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class State:
    name: str
    staff: str  # label on console pages, exports, the CLI and the audit log
    resident: str  # label in chat and on the resident's status page
    clock: str  # the deadline clock entering this state starts, pauses or stops (deadlines.CLOCKS)
    open: bool = False  # someone owes the next step within a time limit
    live: bool = False  # duplicates may still be merged into it
    open311: str | None = "open"  # GeoReport status: "open", "closed"; None: never published
    map_group: str | None = None  # legend group on the complaint map (plan.STATE_GROUPS)


_ROWS = (
    State("draft", "填写中", "填写中", "stop", open311=None),
    State("submitted", "待审核", "已收到，待审核", "review", open=True, live=True, map_group="review"),
    State("need_info", "待补充", "待您补充", "pause", live=True, map_group="review"),
    State("accepted", "已受理", "已受理", "review", open=True, live=True, map_group="working"),
    State("dispatched", "已派单", "已派单", "sign", open=True, live=True, map_group="working"),
    State("returned", "被退回", "重新派单中", "review", open=True, live=True, map_group="working"),
    State("in_progress", "处理中", "处理中", "handling", open=True, live=True, map_group="working"),
    State("extension_requested", "申请延期", "处理中", "keep", open=True, live=True, map_group="working"),
    State("resolved", "已处理待评价", "已处理，待您评价", "stop", live=True, open311="closed",
          map_group="rating"),
    State("reopened", "重新处理", "重新处理中", "review", open=True, live=True, map_group="working"),
    State("closed", "已办结", "已办结", "stop", open311="closed", map_group="closed"),
    State("rejected", "不予受理", "不予受理", "stop", open311="closed", map_group="ended"),
    State("duplicate", "已合并", "已合并办理", "stop", open311="closed", map_group="ended"),
)
STATES: dict[str, State] = {s.name: s for s in _ROWS}

OPEN_STATES = tuple(s.name for s in _ROWS if s.open)
LIVE_STATES = tuple(s.name for s in _ROWS if s.live)
STAFF_LABELS = {s.name: s.staff for s in _ROWS}
RESIDENT_LABELS = {s.name: s.resident for s in _ROWS}
OPEN311_CLOSED = tuple(s.name for s in _ROWS if s.open311 == "closed")  # GeoReport "closed"


def in_map_group(group: str) -> tuple[str, ...]:
    """The states drawn in one legend group of the complaint map."""
    return tuple(s.name for s in _ROWS if s.map_group == group)
