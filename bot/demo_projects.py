"""Demo data for the renovation project: a few items of 幸福里小区 with progress and photos.

Written through the same service as the console (handlers/projects/editing.py).  Loading
twice changes nothing (items looked up by name).  Runs after the roster (the buildings).
"""
from __future__ import annotations

import io
from datetime import date, datetime, timezone

from PIL import Image, ImageDraw
from sqlmodel import Session, select

from bot import runtime
from bot.demo import ensure_community
from bot.runtime import render
from handlers.projects import editing, service
from models import Building, ProjectItem
from models.projects import ItemPhoto, ensure_project

CONTACTS = {"contractor": "冀安建设工程有限公司", "contractor_phone": "13931100001",
            "supervisor": "石门工程监理公司", "supervisor_phone": "13931100002"}
ITEMS = [  # name, building (None: community), unit, values, photo colours
    ("雨污管网改造", None, "", {"category": "basic", "status": "working", "progress": 60, "budget": 120,
                           "fund_government": 100, "fund_maintenance": 20}, [(90, 110, 130), (120, 100, 80)]),
    ("屋面防水", "3号楼", "", {"category": "basic", "status": "working", "progress": 40, "budget": 36,
                         "fund_government": 30, "fund_residents": 6}, [(150, 90, 60)]),
    ("加装电梯", "3号楼", "2", {"category": "upgrade", "status": "planned", "budget": 70, "fund_government": 20,
                           "fund_residents": 40, "fund_enterprises": 10}, []),
    ("外墙保温", "1号楼", "", {"category": "improve", "status": "done", "progress": 100, "budget": 45,
                         "fund_government": 45}, [(200, 190, 170)]),
]


def load(*, session: Session) -> list[str]:
    community = ensure_community(session=session)
    project = ensure_project(community.id, session=session)
    now = datetime.now(timezone.utc)
    storage = runtime.services().storage
    for name, building_name, unit, values, colours in ITEMS:
        if session.exec(select(ProjectItem).where(ProjectItem.project_id == project.id,
                                                  ProjectItem.name == name)).first() is not None:
            continue
        building = session.exec(select(Building).where(Building.community_id == community.id,
                                                       Building.name == building_name)).first()
        scope = "community" if building is None else ("stairwell" if unit else "building")
        item = editing.save_item(ProjectItem(project_id=project.id),
                                 {"name": name, "scope": scope, "building_id": building and building.id, "unit": unit,
                                  "planned_end": date(now.year, 12, 31), **CONTACTS, **values},
                                 session=session, now=now, render=render)
        for n, colour in enumerate(colours if storage is not None else []):
            editing.add_photo(item, picture(colour, n), session=session, storage=storage, now=now, by="demo",
                              caption=f"{name}施工现场")
    count = len(service.items_of(project.id, session=session))
    photos = len(session.exec(select(ItemPhoto.id).join(ProjectItem, ProjectItem.id == ItemPhoto.item_id)
                              .where(ProjectItem.project_id == project.id)).all())
    return [f"改造项目：{community.name} {count} 项改造内容、{photos} 张进度照片，见控制台“改造项目”，居民回复“进度”查看"]


def picture(colour: tuple[int, int, int], n: int) -> bytes:
    """A plain drawn picture standing for a site photo (no camera data in it)."""
    im = Image.new("RGB", (640, 480), colour)
    draw = ImageDraw.Draw(im)
    for x in range(0, 640, 80):
        draw.line([(x + n * 20, 0), (x + 200 + n * 20, 480)], fill=(240, 240, 240), width=6)
    draw.rectangle([40, 300, 600, 440], fill=(60, 60, 60))
    out = io.BytesIO()
    im.save(out, "JPEG", quality=80)
    return out.getvalue()
