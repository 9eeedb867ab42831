"""Import a roster (花名册): all rows checked first, all-or-nothing, idempotent, fast.

Households are upserted by community + building + unit + room; rows identical
to what is stored change nothing (not even ``updated_at``), so importing the
same file twice is a no-op.  Households missing from a file are never deleted:
they may hold ballots.  Lookups are preloaded and writes are batched (core
executemany), which keeps 50,000 rows well under 30 seconds.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Callable

from sqlalchemy import bindparam, insert, update
from sqlmodel import Session, select

from handlers.households.roster_read import RosterFormatError, read_roster
from handlers.households.roster_rows import RosterRow, RowError, check_rows
from models import Building, Community, Household
from models.audit import record
from models.base import utcnow
from models.projects import ensure_project

Progress = Callable[[str, int, int], None]  # (phase "check" | "write", done, total)
BATCH = 5000
COMPARED = ("status", "owner_name", "phone", "floor_area", "owner_key")


@dataclass
class ImportResult:
    ok: bool
    total: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    buildings_created: int = 0
    communities_created: int = 0

    def summary(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "errors"}


def import_roster(source: str | Path | BinaryIO | bytes, *, session: Session, filename: str | None = None,
                  allowed_community_ids: frozenset[int] | None = None, create_communities: bool = False,
                  progress: Progress | None = None, actor: str = "system", now: datetime | None = None,
                  id_key: str = "") -> ImportResult:
    """Check the whole file, then write it in the caller's transaction (flush only).

    ``allowed_community_ids`` limits a worker to their communities (None: all).
    Unknown communities are errors unless ``create_communities`` (admins only).
    ``id_key`` (``[privacy] id_hash_key``) hashes the 产权人证件号 column; only the hash is kept, and a file
    without that column leaves the stored owners as they are.
    """
    progress = progress or (lambda phase, done, total: None)
    try:
        table = read_roster(source, filename)
    except RosterFormatError as exc:
        return ImportResult(ok=False, errors=[RowError(0, "", str(exc))])
    rows, errors = check_rows(table, lambda done, total: progress("check", done, total), id_key=id_key)
    progress("check", len(table.rows), len(table.rows))
    communities, scope_errors = resolve_communities(rows, allowed_community_ids, create_communities, session=session)
    errors += scope_errors
    if errors:
        return ImportResult(ok=False, total=len(table.rows), errors=sorted(errors, key=lambda e: e.row))
    result = ImportResult(ok=True, total=len(rows),
                          communities_created=sum(1 for c in communities.values() if c.id is None))
    write_rows(rows, communities, result, progress, now or utcnow(), session=session)
    record(actor=actor, action="roster.import", target=f"roster:{filename or ''}"[:128],
           after=result.summary(), community_id=next(iter(communities.values())).id if len(communities) == 1 else None,
           at=now, session=session)
    return result


def resolve_communities(rows: list[RosterRow], allowed: frozenset[int] | None,
                        create: bool, *, session: Session) -> tuple[dict[str, Community], list[RowError]]:
    first_row: dict[str, int] = {}
    counts = Counter(row.community for row in rows)
    for row in rows:
        first_row.setdefault(row.community, row.row)
    found = {c.name: c for c in session.exec(select(Community).where(Community.name.in_(list(counts))))}
    errors = []
    for name, count in counts.items():
        community = found.get(name)
        if community is None and not (create and allowed is None):
            errors.append(RowError(first_row[name], "小区", f"小区“{name}”不存在（共{count}行），请先在控制台添加该小区"))
        elif community is not None and allowed is not None and community.id not in allowed:
            errors.append(RowError(first_row[name], "小区", f"您无权导入小区“{name}”的花名册（共{count}行）"))
        elif community is None:
            found[name] = Community(name=name)
    return found, errors


def write_rows(rows: list[RosterRow], communities: dict[str, Community], result: ImportResult,
               progress: Progress, now: datetime, *, session: Session) -> None:
    new = [c for c in communities.values() if c.id is None]
    session.add_all(new)
    session.flush()
    for community in new:
        ensure_project(community.id, session=session)
    buildings = ensure_buildings(rows, communities, result, session=session)
    inserts, updates = plan_households(rows, communities, buildings, now, session=session)
    result.created, result.updated = len(inserts), len(updates)
    result.unchanged = len(rows) - len(inserts) - len(updates)
    conn, done, total = session.connection(), 0, len(inserts) + len(updates)
    table = Household.__table__
    statement = update(table).where(table.c.id == bindparam("_id")).values(
        {name: bindparam(name) for name in COMPARED + ("updated_at",)})
    for batch_rows, stmt in ((inserts, insert(table)), (updates, statement)):
        for start in range(0, len(batch_rows), BATCH):
            chunk = batch_rows[start:start + BATCH]
            conn.execute(stmt, chunk)
            done += len(chunk)
            progress("write", done, total)
    progress("write", total, total)


def ensure_buildings(rows: list[RosterRow], communities: dict[str, Community],
                     result: ImportResult, *, session: Session) -> dict[tuple[int, str], int]:
    ids = [c.id for c in communities.values()]
    query = select(Building.id, Building.community_id, Building.name).where(Building.community_id.in_(ids))
    known = {(cid, name): bid for bid, cid, name in session.exec(query)}
    wanted = {(communities[r.community].id, r.building) for r in rows}
    missing = sorted(wanted - set(known))
    if missing:
        session.connection().execute(insert(Building.__table__), [
            {"community_id": cid, "name": name, "sort_key": sort_key(name)} for cid, name in missing])
        known = {(cid, name): bid for bid, cid, name in session.exec(query)}
    result.buildings_created = len(missing)
    return known


def sort_key(building_name: str) -> int:
    digits = "".join(ch for ch in building_name if ch.isdigit())
    return int(digits[:9]) if digits else 0


def plan_households(rows: list[RosterRow], communities: dict[str, Community],
                    buildings: dict[tuple[int, str], int], now: datetime, *, session: Session) -> tuple[list[dict],
                                                                                                        list[dict]]:
    ids = [c.id for c in communities.values()]
    query = select(Household.id, Household.building_id, Household.unit, Household.room, Household.status,
                   Household.owner_name, Household.phone, Household.floor_area, Household.owner_key
                   ).where(Household.community_id.in_(ids))
    existing = {(b, u, r): (hid, (s, o, p, a, k or None)) for hid, b, u, r, s, o, p, a, k in session.exec(query)}
    inserts, updates = [], []
    for row in rows:
        community_id = communities[row.community].id
        building_id = buildings[(community_id, row.building)]
        found = existing.get((building_id, row.unit, row.room))
        owner_key = (found[1][4] if found else None) if row.owner_key is None else (row.owner_key or None)
        values = (row.status, row.owner_name, row.phone, row.floor_area, owner_key)
        if found is None:
            inserts.append({"community_id": community_id, "building_id": building_id, "unit": row.unit,
                            "room": row.room, "status": row.status, "owner_name": row.owner_name,
                            "phone": row.phone, "floor_area": row.floor_area, "owner_key": owner_key,
                            "voter_policy": "any_verified",
                            "answers_changeable": True, "updated_at": now})
        elif found[1] != values:
            updates.append({"_id": found[0], **dict(zip(COMPARED, values)), "updated_at": now})
    return inserts, updates
