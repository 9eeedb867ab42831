"""Objections (异议) to a published result: who may raise one, recording it, a worker's answer.

A resident may object while the window is open if they have a verified binding
to a household of the run's frozen roster (the run's scope); the objection
records the resident, the household, the text and when.  The answer goes back
to the resident through the outbox, once (dedup key ``objection.answer:<id>``).
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from sqlmodel import Session, select

from models import Binding, Resident
from models.outbox import enqueue_text
from models.publicity import Objection, Publicity
from models.surveys import SurveyEligible
from surveys import publicity
from surveys.errors import NotAllowed, SurveyError

MAX_TEXT = 1000
MIN_TEXT = 2


def open_for(resident_id: int, *, session: Session, now: datetime) -> list[tuple[Publicity, int]]:
    """(publicity, household id) open for this resident's objection now, newest first."""
    rows = session.exec(select(Publicity, Binding.household_id)
                        .join(SurveyEligible, SurveyEligible.run_id == Publicity.run_id)
                        .join(Binding, Binding.household_id == SurveyEligible.household_id)
                        .where(Binding.resident_id == resident_id, Binding.ended_at.is_(None),
                               Binding.verified_at.is_not(None), Publicity.ended_at.is_(None),
                               Publicity.objection_ends_at > now)
                        .order_by(Publicity.published_at.desc(), Publicity.id.desc())).all()
    seen, result = set(), []
    for p, household_id in rows:
        if p.id not in seen:
            seen.add(p.id)
            result.append((p, household_id))
    return result


def household_for(publicity_id: int, resident_id: int, *, session: Session, now: datetime) -> int:
    """The resident's household in this publicity's scope, or NotAllowed saying why."""
    p = session.get(Publicity, publicity_id)
    if p is None:
        raise NotAllowed("该公示不存在")
    if not publicity.is_open(p, now):
        raise NotAllowed("本次公示的异议期已结束")
    for open_p, household_id in open_for(resident_id, session=session, now=now):
        if open_p.id == publicity_id:
            return household_id
    raise NotAllowed("您家不在本次公示的范围内，不能对它提出异议")


def raise_objection(publicity_id: int, resident_id: int, text: str, *, session: Session, now: datetime,
                    channel: str = "wechat") -> Objection:
    """Record an objection (checked: window open, resident in scope, text not empty)."""
    text = (text or "").replace("\x00", "").strip()
    if len(text) < MIN_TEXT:
        raise SurveyError("请写下您的异议内容（至少两个字）")
    if len(text) > MAX_TEXT:
        raise SurveyError(f"异议内容请不要超过 {MAX_TEXT} 字")
    household_id = household_for(publicity_id, resident_id, session=session, now=now)
    p = session.get(Publicity, publicity_id)
    row = Objection(publicity_id=p.id, community_id=p.community_id, resident_id=resident_id,
                    household_id=household_id, channel=channel, text=text, created_at=now)
    session.add(row)
    session.flush()
    return row


def answer(objection_id: int, text: str, *, session: Session, now: datetime, actor: str,
           render: Callable[..., str]) -> Objection:
    """A worker's answer, sent to the resident once; answering again is refused."""
    row = session.get(Objection, objection_id)
    if row is None:
        raise SurveyError("该异议不存在")
    if row.answered_at is not None:
        raise SurveyError("该异议已答复")
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise SurveyError("请填写答复内容")
    row.answer, row.answered_at, row.answered_by = text[:MAX_TEXT], now, actor
    session.add(row)
    p = session.get(Publicity, row.publicity_id)
    resident = session.get(Resident, row.resident_id)
    message = render("wechat/publicity_answer.txt", s=p.figures["summary"], objection=row).strip()
    enqueue_text(openid=resident.openid, text=message, kind=publicity.KIND,
                 dedup_key=f"objection.answer:{row.id}",
                 template={"kind": publicity.KIND, "data": {"title": p.figures["summary"]["title"],
                                                            "content": message}}, session=session)
    session.flush()
    return row


def of_publicity(publicity_id: int, *, session: Session) -> list[Objection]:
    return session.exec(select(Objection).where(Objection.publicity_id == publicity_id)
                        .order_by(Objection.created_at, Objection.id)).all()
