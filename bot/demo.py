"""Demo data for the embedded setup: a community and whatever features add.

Each feature contributes a loader ``(session) -> list[str]`` to ``LOADERS``;
lines returned are printed by ``init-db --demo`` (e.g. demo accounts).
Loading twice changes nothing.
"""
from __future__ import annotations

from importlib import import_module
from typing import Iterator

from flask import Flask
from sqlmodel import Session, select

from models import Community
from models.projects import ensure_project

DEMO_COMMUNITY = "幸福里小区"

# Modules that define ``load(*, session) -> list[str]``, run in this order.
LOADERS: list[str] = ["bot.demo_households", "bot.demo_surveys", "handlers.faq.demo", "bot.complaints.demo",
                      "bot.complaints.demo_map", "bot.demo_projects", "bot.demo_notices"]


def ensure_community(*, session: Session) -> Community:
    found = session.exec(select(Community).where(Community.name == DEMO_COMMUNITY)).first()
    if found:
        return found
    community = Community(name=DEMO_COMMUNITY, code="XFL001", district="新华区 幸福街道", hotline="0311-12345678")
    session.add(community)
    session.flush()
    ensure_project(community.id, session=session)
    return community


def load_demo(app: Flask) -> Iterator[str]:
    with Session(app.extensions["linli.engine"]) as session:
        community = ensure_community(session=session)
        lines = [f"演示小区：{community.name}（二维码场景值 community_{community.id}）"]
        for name in LOADERS:
            lines += import_module(name).load(session=session)
        session.commit()
    yield from lines
