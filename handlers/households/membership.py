"""Who belongs to which household: bind, unbind, requests for a worker, voting rights.

A resident has at most one active binding (moving house ends the old one; the
row stays with ``ended_at`` as history).  Several residents may bind to one
household; its ``voter_policy`` decides who may vote for it.
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from sqlmodel import Session, select

from models import Binding, BindingRequest, Building, Household, Resident
from models.base import utcnow
from models.households import active_binding
from models.outbox import enqueue_text
from surveys.ballots import voter_refusal

Renderer = Callable[..., str]
ROLE_LABELS = {"owner": "产权人（户主）", "family": "家庭成员", "tenant": "租户"}


def _resident_id(resident: Resident | int) -> int:
    return resident if isinstance(resident, int) else resident.id


def current_household(resident_id: int, *, session: Session) -> Household | None:
    """The household the resident is bound to now, or None."""
    binding = active_binding(resident_id, session=session)
    return session.get(Household, binding.household_id) if binding else None


def may_vote(resident: Resident | int, household: Household, *, session: Session) -> bool:
    """Whether the resident may answer for the household (the one rule: ``surveys.ballots.voter_refusal``)."""
    return voter_refusal(active_binding(_resident_id(resident), session=session), household) is None


def describe(household: Household, *, session: Session) -> str:
    """``1号楼2单元301`` — how residents and workers name a household."""
    building = session.get(Building, household.building_id)
    unit = f"{household.unit}单元" if household.unit and household.unit.isdigit() else household.unit
    return f"{building.name if building else ''}{unit}{household.room}"


def bind(*, session: Session, resident: Resident, household: Household, role: str, verified_by: str,
         now: datetime | None = None) -> Binding:
    """Bind now; an earlier active binding of the resident is ended (kept as history)."""
    now = now or utcnow()
    current = active_binding(resident.id, session=session)
    if current is not None and current.household_id == household.id and current.role == role:
        return current
    if current is not None:
        current.ended_at = now
        session.add(current)
    binding = Binding(resident_id=resident.id, household_id=household.id, role=role, verified_by=verified_by,
                      verified_at=now, created_at=now)
    if resident.community_id != household.community_id:
        resident.community_id = household.community_id
        session.add(resident)
    session.add(binding)
    session.flush()
    return binding


def unbind(*, session: Session, resident: Resident, now: datetime | None = None) -> Household | None:
    """End the resident's active binding; returns the household they left, or None."""
    current = active_binding(resident.id, session=session)
    if current is None:
        return None
    current.ended_at = now or utcnow()
    session.add(current)
    session.flush()
    return session.get(Household, current.household_id)


def request_binding(*, session: Session, resident: Resident, household: Household, role: str, claimed_name: str,
                    reason: str = "mismatch", proof: str = "", now: datetime | None = None) -> BindingRequest:
    """A pending request for a worker (one per resident and household: a repeat updates it).

    ``reason`` says why a worker must decide (``models.households.REQUEST_REASONS``),
    ``proof`` what the resident's answer matched on the roster ("", "name", "phone").
    """
    pending = session.exec(select(BindingRequest).where(
        BindingRequest.resident_id == resident.id, BindingRequest.household_id == household.id,
        BindingRequest.status == "pending")).first()
    request = pending or BindingRequest(resident_id=resident.id, household_id=household.id,
                                        created_at=now or utcnow())
    request.role, request.claimed_name = role, claimed_name[:64]
    request.reason, request.proof = reason, proof
    session.add(request)
    session.flush()
    return request


def decide_request(request: BindingRequest, *, session: Session, approve: bool, decided_by: str,
                   render: Renderer, note: str = "", now: datetime | None = None) -> Binding | None:
    """Approve (bind) or reject a pending request; the resident is told through the outbox."""
    if request.status != "pending":
        raise ValueError("request already decided")
    now = now or utcnow()
    resident = session.get(Resident, request.resident_id)
    household = session.get(Household, request.household_id)
    request.status = "approved" if approve else "rejected"
    request.decided_by, request.decided_at, request.note = decided_by, now, note[:200]
    session.add(request)
    binding = bind(resident=resident, household=household, role=request.role, verified_by=decided_by,
                   now=now, session=session) if approve else None
    template = "wechat/binding_approved.txt" if approve else "wechat/binding_rejected.txt"
    text = render(template, household=describe(household, session=session), note=note).strip()
    enqueue_text(openid=resident.openid, text=text, kind="binding",
                 dedup_key=f"binding-request:{request.id}:{request.status}", session=session)
    session.flush()
    return binding


def end_binding(binding: Binding, *, session: Session, reason: str, ended_by: str, render: Renderer,
                now: datetime | None = None) -> Household:
    """A worker ends a binding (kept as history, with who and why); the resident is told."""
    if binding.ended_at is not None:
        raise ValueError("binding already ended")
    binding.ended_at, binding.ended_by, binding.end_reason = now or utcnow(), ended_by, reason[:200]
    session.add(binding)
    household = session.get(Household, binding.household_id)
    resident = session.get(Resident, binding.resident_id)
    text = render("wechat/binding_ended.txt", household=describe(household, session=session), reason=binding.end_reason)
    enqueue_text(openid=resident.openid, text=text.strip(), kind="binding",
                 dedup_key=f"binding-ended:{binding.id}", session=session)
    session.flush()
    return household
