"""Reading a community's project: its stages, its current and next stage, its items.

``current`` gets (or makes) the community's project and brings its survey-decided stages up
to date, so that every reader (chat, H5, CLI, console) sees the same thing.  Items are given
as dicts people read (Chinese labels); contacts are masked unless the console made them public.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from handlers.projects import gates
from models import Building, Community
from models.localtime import today
from models.privacy import mask_name, mask_phone
from models.projects import (CATEGORIES, FUNDING, ITEM_STATUS, SCOPES, STAGE_STATUS, ItemPhoto, Project, ProjectItem,
                             ProjectStage, ensure_project, stages_of)


class ProjectError(ValueError):
    """A request that cannot be done (the message is Chinese, for people)."""


def community_named(name: str, *, session: Session) -> Community:
    found = session.exec(select(Community).where(Community.name == name)).first()
    if found is None:
        raise ProjectError(f"小区“{name}”不存在")
    return found


def current(community_id: int, *, session: Session, now: datetime) -> Project:
    """The community's first project, made when missing, its stages synced with the surveys."""
    project = ensure_project(community_id, session=session)
    gates.sync(project, session=session, now=now)
    return project


def current_stage(stages: list[ProjectStage]) -> ProjectStage:
    """The first stage under way; else the first not started; else the last."""
    for status in ("active", "pending"):
        found = next((s for s in stages if s.status == status), None)
        if found is not None:
            return found
    return stages[-1]


def next_stage(stages: list[ProjectStage], stage: ProjectStage) -> ProjectStage | None:
    return next((s for s in stages if s.order > stage.order and s.status != "done"), None)


def stage_dict(stage: ProjectStage) -> dict:
    return {"id": stage.id, "order": stage.order, "name": stage.name, "status": stage.status,
            "status_label": STAGE_STATUS[stage.status], "note": stage.note, "run_id": stage.run_id,
            **{k: _iso(getattr(stage, k)) for k in ("planned_start", "planned_end", "actual_start", "actual_end")}}


def items_of(project_id: int, *, session: Session, building_id: int | None = None, unit: str | None = None,
             everything: bool = True) -> list[ProjectItem]:
    """The project's items; with ``everything`` False only community-wide ones and those of the place."""
    rows = session.exec(select(ProjectItem).where(ProjectItem.project_id == project_id)
                        .order_by(ProjectItem.id)).all()
    if everything:
        return list(rows)
    return [i for i in rows if i.scope == "community" or (i.building_id == building_id and building_id is not None
                                                          and (i.scope == "building" or i.unit == (unit or "")))]


def place_of(item: ProjectItem, buildings: dict[int, str]) -> str:
    if item.scope == "community" or item.building_id is None:
        return SCOPES["community"]
    name = buildings.get(item.building_id, "")
    return f"{name}{item.unit}单元" if item.scope == "stairwell" and item.unit else name


ORGANISATION_WORDS = ("公司", "集团", "有限", "单位", "局", "院", "中心", "厂", "队", "所", "站", "社", "处", "委")


def unit_name(value: str) -> str:
    """A contractor or supervisor as residents read it: a company in full (it is on the site's sign
    board anyway), a person's name masked (workers sometimes write the foreman's name)."""
    return value if any(word in value for word in ORGANISATION_WORDS) else mask_name(value)


def item_dict(item: ProjectItem, buildings: dict[int, str], *, today: date | None = None,
              unmasked: bool = False) -> dict:
    """What people read of an item; contacts masked unless public (or ``unmasked`` for staff)."""
    show = unmasked or item.contacts_public
    name, phone = (lambda v: v, lambda v: v) if show else (unit_name, mask_phone)
    overdue = bool(today and item.planned_end and item.planned_end < today and item.status != "done")
    return {"id": item.id, "name": item.name, "category": item.category,
            "category_label": CATEGORIES.get(item.category, item.category), "status": item.status,
            "status_label": ITEM_STATUS.get(item.status, item.status), "progress": item.progress,
            "place": place_of(item, buildings),
            "scope": item.scope, "building_id": item.building_id, "unit": item.unit,
            "planned_end": _iso(item.planned_end), "overdue": overdue,
            "contractor": name(item.contractor), "contractor_phone": phone(item.contractor_phone),
            "supervisor": name(item.supervisor), "supervisor_phone": phone(item.supervisor_phone),
            "budget": item.budget, "funding": [(label, getattr(item, key)) for key, label in FUNDING.items()
                                               if getattr(item, key)] if (item.funding_public or unmasked) else []}


def building_names(community_id: int, *, session: Session) -> dict[int, str]:
    return dict(session.exec(select(Building.id, Building.name).where(Building.community_id == community_id)).all())


def photos_of(item_ids: list[int], *, session: Session) -> dict[int, list[ItemPhoto]]:
    out: dict[int, list[ItemPhoto]] = {i: [] for i in item_ids}
    if item_ids:
        for photo in session.exec(select(ItemPhoto).where(ItemPhoto.item_id.in_(item_ids))
                                  .order_by(ItemPhoto.at.desc(), ItemPhoto.id.desc())):
            out[photo.item_id].append(photo)
    return out


def show(community: Community, *, session: Session, now: datetime) -> dict:
    """The whole project as the CLI prints it (``project show --json``)."""
    project = current(community.id, session=session, now=now)
    stages = stages_of(project.id, session=session)
    stage = current_stage(stages)
    buildings = building_names(community.id, session=session)
    items = [item_dict(i, buildings, today=today(now)) for i in items_of(project.id, session=session)]
    return {"community": community.name, "project": project.name, "project_id": project.id,
            "stage": stage.name, "stage_status": STAGE_STATUS[stage.status],
            "stages": [stage_dict(s) for s in stages], "items": items}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
