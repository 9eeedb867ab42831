"""Keeping a project: stages moved by staff, items written, progress photos, followers told, complaints linked.

Service functions flush only; the console view (or the demo loader) commits.  When an item's
status or progress changes, each follower gets one outbox message (``dedup_key`` names the
change), so a retried job or request never tells anyone twice.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Callable

from sqlmodel import Session, select

from handlers.complaints import photos
from handlers.projects.service import ProjectError, building_names, place_of
from models import Complaint, Resident
from models.localtime import today
from models.outbox import enqueue_text
from models.projects import (CATEGORIES, ITEM_STATUS, SCOPES, STAGE_STATUS, ComplaintItem, ItemFollow, ItemPhoto,
                             Project, ProjectItem, ProjectStage, stages_of)

Renderer = Callable[..., str]
TEXT_FIELDS = ("name", "contractor", "contractor_phone", "supervisor", "supervisor_phone", "unit")
MONEY_FIELDS = ("budget", "fund_government", "fund_residents", "fund_maintenance", "fund_enterprises")


def update_stage(stage: ProjectStage, *, session: Session, status: str | None = None, note: str | None = None,
                 **dates: date | None) -> None:
    """Staff set a stage's dates, status or note; 进行中 finishes the earlier open stages."""
    if status is not None and status not in STAGE_STATUS:
        raise ProjectError("阶段状态不正确")
    for key, value in dates.items():
        if key not in ("planned_start", "planned_end", "actual_start", "actual_end"):
            raise ProjectError("日期字段不正确")
        setattr(stage, key, value)
    if note is not None:
        stage.note = note[:200]
    if status == "active":
        for earlier in stages_of(stage.project_id, session=session):
            if earlier.order < stage.order and earlier.status != "done":
                earlier.status, earlier.actual_end = "done", earlier.actual_end or stage.actual_start
    if status is not None:
        stage.status = status
    session.add(stage)
    session.flush()


def save_item(item: ProjectItem, values: dict[str, Any], *, session: Session, now: datetime, render: Renderer
              ) -> ProjectItem:
    """Write an item's fields (new or old); followers hear of a changed status or progress."""
    before = (item.status, item.progress) if item.id else None
    _assign(item, values)
    item.updated_at = now
    session.add(item)
    session.flush()
    if before is not None and before != (item.status, item.progress):
        tell_followers(item, session=session, now=now, render=render)
    return item


def _assign(item: ProjectItem, values: dict[str, Any]) -> None:
    for key in TEXT_FIELDS:
        if key in values:
            setattr(item, key, str(values[key] or "").strip()[:100])
    for key, table in (("category", CATEGORIES), ("status", ITEM_STATUS), ("scope", SCOPES)):
        if key in values:
            if values[key] not in table:
                raise ProjectError("分类、状态或范围不正确")
            setattr(item, key, values[key])
    for key in MONEY_FIELDS:
        if key in values:
            setattr(item, key, max(0.0, float(values[key] or 0)))
    if "progress" in values:
        item.progress = min(100, max(0, int(values["progress"] or 0)))
    for key in ("building_id", "planned_end", "contacts_public", "funding_public"):
        if key in values:
            setattr(item, key, values[key])
    if not item.name:
        raise ProjectError("请填写改造内容名称")
    if item.scope != "community" and item.building_id is None:
        raise ProjectError("楼栋或单元范围的改造内容须选择楼栋")


def tell_followers(item: ProjectItem, *, session: Session, now: datetime, render: Renderer) -> int:
    """One message per follower for this change (the key names the item, state and moment)."""
    project = session.get(Project, item.project_id)
    place = place_of(item, building_names(project.community_id, session=session))
    text = render("wechat/progress_item_moved.txt", item=item, place=place,
                  status=ITEM_STATUS.get(item.status, item.status)).strip()
    stamp = int(now.timestamp())
    followers = session.exec(select(Resident.id, Resident.openid).join(ItemFollow,
                                                                       ItemFollow.resident_id == Resident.id)
                             .where(ItemFollow.item_id == item.id)).all()
    for resident_id, openid in followers:
        enqueue_text(openid=openid, text=text, kind="project",
                     dedup_key=f"item:{item.id}:{item.status}:{item.progress}:{stamp}:{resident_id}", session=session)
    return len(followers)


def follow(item_id: int, resident_id: int, *, session: Session, on: bool = True) -> bool:
    """Follow (or stop following) an item; idempotent.  Returns whether the resident now follows."""
    found = session.exec(select(ItemFollow).where(ItemFollow.item_id == item_id,
                                                  ItemFollow.resident_id == resident_id)).first()
    if on and found is None:
        session.add(ItemFollow(item_id=item_id, resident_id=resident_id))
    elif not on and found is not None:
        session.delete(found)
    session.flush()
    return on


def add_photo(item: ProjectItem, data: bytes, *, session: Session, storage, now: datetime, by: str,
              caption: str = "") -> ItemPhoto:
    """Clean the image (no metadata kept), store it, record it.  Raises PhotoError."""
    done = photos.process(data)
    key = f"projects/{item.project_id}/{item.id}/{today(now).isoformat()}-{uuid.uuid4().hex[:12]}.jpg"
    storage.put(key, done.data, content_type=done.content_type)
    photo = ItemPhoto(item_id=item.id, media_key=key, caption=caption.strip()[:200], at=now, by=by)
    session.add(photo)
    session.flush()
    return photo


def link_complaint(complaint: Complaint, item: ProjectItem | None, *, session: Session, by: str) -> None:
    """Link a complaint to an item (None: unlink)."""
    row = session.get(ComplaintItem, complaint.id) or ComplaintItem(complaint_id=complaint.id)
    row.item_id, row.linked_by = (item.id if item else None), by
    session.add(row)
    session.flush()


def item_from_complaint(complaint: Complaint, project: Project, *, session: Session, now: datetime, by: str,
                        name: str) -> ProjectItem:
    """A new item answering a complaint, linked to it."""
    item = ProjectItem(project_id=project.id, name=(name or complaint.description or "改造内容").strip()[:100],
                       updated_at=now)
    session.add(item)
    session.flush()
    link_complaint(complaint, item, session=session, by=by)
    return item
