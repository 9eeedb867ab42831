"""Proxies in owners' decisions: a family member votes for the owner with a written authorisation (委托书).

A worker records the authorisation with a photo of the signed sheet after checking it (that is the approval);
from then on that bound family member of that flat may cast the flat's one ballot in that decision, and the
evidence pack names the authorisation as the ballot's proof.  Tenants cannot hold one here.
"""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from models import AuditLog, Binding, Household
from models.surveys import Ballot, SurveyEligible, SurveyProxy
from surveys import runs
from surveys.errors import SurveyError


def grant(run_id: int, household_id: int, resident_id: int, photo_key: str, *, session: Session, actor: str,
          now: datetime) -> SurveyProxy:
    """Record an approved authorisation; raises SurveyError (Chinese) when it cannot hold."""
    run = runs.get(run_id, session=session)
    if not run.rule:
        raise SurveyError("只有业主共同决定可以登记委托投票")
    entry = session.get(SurveyEligible, (run_id, household_id))
    if entry is None or not entry.eligible:
        raise SurveyError("该户不在本次表决范围内")
    binding = session.exec(select(Binding).where(Binding.resident_id == resident_id,
                                                 Binding.household_id == household_id,
                                                 Binding.ended_at.is_(None), Binding.verified_at.is_not(None))).first()
    if binding is None or binding.role != "family":
        raise SurveyError("受托人须是已核实绑定该户的家庭成员")
    proxy = holding(run_id, household_id, resident_id, session=session)
    if proxy is None:
        proxy = SurveyProxy(run_id=run_id, household_id=household_id, resident_id=resident_id,
                            photo_key=photo_key, approved_by=actor, approved_at=now)
    else:
        proxy.photo_key, proxy.approved_by, proxy.approved_at = photo_key, actor, now
    session.add(proxy)
    session.add(AuditLog(actor=actor, action="survey.proxy.grant", target=f"survey_run:{run_id}",
                         community_id=run.community_id, after={"household_id": household_id,
                                                               "resident_id": resident_id, "photo": photo_key}))
    session.flush()
    return proxy


def revoke(run_id: int, household_id: int, resident_id: int, *, session: Session, actor: str) -> None:
    """End an authorisation before it is used (the owner withdrew it); the audit log keeps what it was.

    Once the family member has cast the flat's ballot with it, it is the ballot's proof and stays: the
    owner changes the flat's answer by voting themselves (the ballot's revision history keeps both).
    """
    run = runs.get(run_id, session=session)
    proxy = holding(run_id, household_id, resident_id, session=session)
    if proxy is None:
        raise SurveyError("没有这项委托")
    used = session.exec(select(Ballot.id).where(Ballot.run_id == run_id, Ballot.household_id == household_id,
                                                Ballot.resident_id == resident_id)).first()
    if used is not None:
        raise SurveyError("受托人已凭这份委托书投票，委托不能撤销；业主本人如要改变意见，可以自己重新投票")
    session.delete(proxy)
    session.add(AuditLog(actor=actor, action="survey.proxy.revoke", target=f"survey_run:{run_id}",
                         community_id=run.community_id, before={"household_id": household_id,
                                                                "resident_id": resident_id, "photo": proxy.photo_key}))
    session.flush()


def holding(run_id: int, household_id: int, resident_id: int, *, session: Session) -> SurveyProxy | None:
    return session.exec(select(SurveyProxy).where(SurveyProxy.run_id == run_id,
                                                  SurveyProxy.household_id == household_id,
                                                  SurveyProxy.resident_id == resident_id)).first()


def of_run(run_id: int, *, session: Session) -> dict[tuple[int, int], SurveyProxy]:
    """(household id, resident id) → authorisation, for the evidence pack and the run page."""
    return {(p.household_id, p.resident_id): p
            for p in session.exec(select(SurveyProxy).where(SurveyProxy.run_id == run_id))}


def candidates(run_id: int, *, session: Session) -> list[tuple]:
    """(binding, household) of verified family members of flats in the decision's scope, for the console form."""
    return list(session.exec(select(Binding, Household).join(Household, Household.id == Binding.household_id)
                             .join(SurveyEligible, SurveyEligible.household_id == Binding.household_id)
                             .where(SurveyEligible.run_id == run_id, SurveyEligible.eligible,
                                    Binding.role == "family", Binding.ended_at.is_(None),
                                    Binding.verified_at.is_not(None))
                             .order_by(Household.building_id, Household.unit, Household.room)).all())
