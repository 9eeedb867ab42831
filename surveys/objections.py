"""Objections (异议) to a published result: who may raise one, recording it, a worker's answer.

A resident may object while the window is open if they have a verified binding
to a household of the run's frozen roster (the run's scope); the objection
records the resident, the household, the text and when.  For an owners' decision
only the verified owners of flats in scope may object (not tenants nor family).  The answer goes back
to the resident through the outbox, once (dedup key ``objection.answer:<id>``).
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from sqlmodel import Session, select

from models import Binding, Resident
from models.outbox import enqueue_text
from models.publicity import Objection, Publicity
from models.surveys import SurveyEligible, SurveyRun
from surveys import publicity
from surveys.errors import NotAllowed, SurveyError

MAX_TEXT = 1000
MIN_TEXT = 2


def _in_scope(resident_id: int, *, session: Session, now: datetime) -> list[tuple[Publicity, int, bool]]:
    """(publicity, household id, may object) open now for a household of this resident, newest first."""
    rows = session.exec(select(Publicity, Binding.household_id, SurveyRun.rule, Binding.role)
                        .join(SurveyRun, SurveyRun.id == Publicity.run_id)
                        .join(SurveyEligible, SurveyEligible.run_id == Publicity.run_id)
                        .join(Binding, Binding.household_id == SurveyEligible.household_id)
                        .where(Binding.resident_id == resident_id, Binding.ended_at.is_(None),
                               Binding.verified_at.is_not(None), Publicity.ended_at.is_(None),
                               Publicity.objection_ends_at > now)
                        .order_by(Publicity.published_at.desc(), Publicity.id.desc(), Binding.household_id)).all()
    found: dict[int, tuple[Publicity, int, bool]] = {}
    for p, household_id, rule, role in rows:
        allowed = not rule or role == "owner"
        if p.id not in found or (allowed and not found[p.id][2]):
            found[p.id] = (p, household_id, allowed)
    return list(found.values())


def open_for(resident_id: int, *, session: Session, now: datetime) -> list[tuple[Publicity, int]]:
    """(publicity, household id) open for this resident's objection now, newest first."""
    return [(p, h) for p, h, allowed in _in_scope(resident_id, session=session, now=now) if allowed]


def owner_refusal(p: Publicity) -> str:
    where = p.figures["summary"].get("scope_words") or "表决范围"
    return (f"本次公示的是业主共同决定的结果，只有{where}经社区核实的产权人（业主）可以提出异议，"
            "租户和家庭成员不能提出异议。如您是业主，请联系社区核实身份")


def refusal(resident_id: int, *, session: Session, now: datetime) -> str | None:
    """Why a resident whose household is in scope of an open owners' decision may not object there (None: none)."""
    for p, _, allowed in _in_scope(resident_id, session=session, now=now):
        if not allowed:
            return owner_refusal(p)
    return None


def household_for(publicity_id: int, resident_id: int, *, session: Session, now: datetime) -> int:
    """The resident's household in this publicity's scope, or NotAllowed saying why."""
    p = session.get(Publicity, publicity_id)
    if p is None:
        raise NotAllowed("该公示不存在")
    if not publicity.is_open(p, now):
        raise NotAllowed("本次公示的异议期已结束")
    for open_p, household_id, allowed in _in_scope(resident_id, session=session, now=now):
        if open_p.id == publicity_id:
            if not allowed:
                raise NotAllowed(owner_refusal(open_p))
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
