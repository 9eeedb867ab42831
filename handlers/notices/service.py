"""Writing a notice and fanning it out once to every bound resident in scope.

``create`` checks and stores it (sent at once when no time is given or the time has
passed; ``scheduled`` otherwise); ``fan_out`` queues one outbox row per resident with
the key ``notice:<id>:<openid>`` in bulk (models.outbox_bulk), so running it again, or
twice at once, adds nothing; ``send_due`` is the clock's work.  Service functions only
flush; the caller commits.
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable, Optional

from sqlmodel import Session, select

from handlers.notices import scope as scopes
from models import Community, Notice
from models.localtime import show
from models.notices import NOTICE_KINDS, dedup_key
from models.outbox_bulk import enqueue_selected

Renderer = Callable[..., str]
TITLE_MAX, BODY_MAX = 100, 2000


class NoticeError(ValueError):
    """A notice that cannot be written as asked (the message says why, in Chinese)."""


def check(title: str, body: str, kind: str) -> None:
    if not title.strip():
        raise NoticeError("请填写通知标题")
    if not body.strip():
        raise NoticeError("请填写通知内容")
    if len(title.strip()) > TITLE_MAX or len(body.strip()) > BODY_MAX:
        raise NoticeError(f"标题最多 {TITLE_MAX} 字，内容最多 {BODY_MAX} 字")
    if kind not in NOTICE_KINDS:
        raise NoticeError(f"通知类别应为: {'、'.join(NOTICE_KINDS)}")


def create(*, session: Session, community: Community, title: str, body: str, scope: str | None = None,
           kind: str = "其他", send_at: Optional[datetime] = None, actor: str, now: datetime,
           source: str | None = None) -> Notice:
    """Store a notice (``scheduled`` when ``send_at`` is later than ``now``); raises NoticeError/ScopeError."""
    check(title, body, kind)
    where = scopes.parse(community.id, scope, session=session)
    notice = Notice(community_id=community.id, building_id=where.building_id, unit=where.unit,
                    title=title.strip(), body=body.strip(), kind=kind, status="scheduled",
                    send_at=send_at or now, source=source, created_by=actor, created_at=now)
    session.add(notice)
    session.flush()
    return notice


def payload(notice: Notice, *, session: Session, render: Renderer) -> tuple[str, dict]:
    """The text residents read and its template fallback (fields: title, scope, time, content)."""
    where = scopes.label(notice.building_id, notice.unit, session=session)
    text = render("wechat/notice.txt", notice=notice, scope=where).strip()
    data = {"title": notice.title, "scope": where, "time": show(notice.send_at), "content": notice.body}
    return text, {"kind": "notice", "data": data}


def fan_out(notice: Notice, *, session: Session, now: datetime, render: Renderer) -> int:
    """Queue the notice for every bound resident in scope not yet holding a copy; returns how many were new."""
    if notice.status == "draft":
        return 0
    notice.status = "sending"
    session.add(notice)
    session.flush()
    openids = scopes.recipients_query(notice.community_id, scopes.Scope(notice.building_id, notice.unit))
    text, template = payload(notice, session=session, render=render)
    added = enqueue_selected(openids, key_prefix=dedup_key(notice.id, ""),
                             payload={"text": text, "template": template}, kind="notice", now=now, session=session)
    notice.status, notice.sent_at = "sent", notice.sent_at or now
    notice.recipients = notice.recipients + added
    session.add(notice)
    session.flush()
    return added


def send_if_due(notice: Notice, *, session: Session, now: datetime, render: Renderer) -> int:
    """Fan out now when the notice's time has come (used right after ``create``)."""
    if notice.status in ("scheduled", "sending") and (notice.send_at is None or notice.send_at <= now):
        return fan_out(notice, session=session, now=now, render=render)
    return 0


def send_due(*, session: Session, now: datetime, render: Renderer) -> dict[str, int]:
    """Fan out every scheduled notice whose time has come, and any left ``sending`` by a crash."""
    due = session.exec(select(Notice).where(Notice.status.in_(("scheduled", "sending")), Notice.send_at <= now)
                       .order_by(Notice.send_at, Notice.id)).all()
    queued = sum(fan_out(n, session=session, now=now, render=render) for n in due)
    return {"notices": len(due), "queued": queued}


def get(notice_id: int, *, session: Session) -> Notice:
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NoticeError(f"通知不存在: {notice_id}")
    return notice
