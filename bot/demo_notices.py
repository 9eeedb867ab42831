"""Demo notices of 幸福里小区: one sent to the whole community, one scheduled for 1号楼.

Written through the same service as the console (handlers/notices/service.py); loading twice
changes nothing (each has its own ``source``).  Runs after the roster (the buildings).
"""
from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from bot.demo import ensure_community
from bot.runtime import now, render
from handlers.notices import service
from models.notices import Notice

NOTICES = [  # source, scope, kind, title, body, hours from now (0: at once)
    ("demo:meeting", None, "会议", "改造方案居民议事会",
     "本周六上午9点在社区活动室召开改造方案居民议事会，欢迎各户派代表参加。", 0),
    ("demo:water", "1号楼", "停水", "1号楼明日停水",
     "因雨污管网改造施工，1号楼明天8:00-12:00停水，请提前储水。", 2),
]


def load(*, session: Session) -> list[str]:
    community = ensure_community(session=session)
    when = now()
    made = 0
    for source, scope, kind, title, body, hours in NOTICES:
        if session.exec(select(Notice.id).where(Notice.source == source)).first() is not None:
            continue
        notice = service.create(session=session, community=community, title=title, body=body, scope=scope,
                                kind=kind, send_at=when + timedelta(hours=hours), actor="demo", now=when,
                                source=source)
        if not hours:
            service.fan_out(notice, session=session, now=when, render=render)
        made += 1
    if not made:
        return ["通知公告：示例通知已在，见控制台“通知公告”"]
    return [f"通知公告：{made} 条示例通知（1 条已发全小区，1 条定时发 1号楼），见控制台“通知公告”，居民回复“通知”查看"]
