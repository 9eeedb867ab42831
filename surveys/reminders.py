"""Reminders to households that have not answered an open run, through the outbox.

One reminder per (run, household, local day): the dedup key makes a second
run of the job the same day a no-op.  The message goes to one verified member
(the owner first, then the most recently active), never to everyone in the
family, and a run gets at most one reminder a day per household.
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from sqlmodel import Session, select

from models import Binding, OutboundMessage, Resident
from models.localtime import SHORT, local_date, show
from models.outbox import enqueue_text
from models.surveys import Ballot, SurveyEligible, SurveyRun
from surveys import runs

ROLE_ORDER = {"owner": 0, "tenant": 1, "family": 2}


def recipients(run: SurveyRun, *, session: Session) -> dict[int, Resident]:
    """household id → the resident to remind, for eligible households without a ballot."""
    voted = select(Ballot.household_id).where(Ballot.run_id == run.id)
    rows = session.exec(select(Binding, Resident)
                        .join(Resident, Resident.id == Binding.resident_id)
                        .join(SurveyEligible, (SurveyEligible.household_id == Binding.household_id)
                              & (SurveyEligible.run_id == run.id))
                        .where(SurveyEligible.eligible, Binding.ended_at.is_(None), Binding.verified_at.is_not(None),
                               Resident.active, Binding.household_id.not_in(voted))).all()
    if run.rule:
        rows = _owners_not_voted(run, rows, session=session)
    chosen: dict[int, tuple] = {}
    for binding, resident in rows:
        rank = (ROLE_ORDER.get(binding.role, 9), -(resident.last_interaction_at or binding.created_at).timestamp())
        if binding.household_id not in chosen or rank < chosen[binding.household_id][0]:
            chosen[binding.household_id] = (rank, resident)
    return {household_id: resident for household_id, (_, resident) in chosen.items()}


def _owners_not_voted(run: SurveyRun, rows: list, *, session: Session) -> list:
    """An owners' decision reminds owners only, and not an owner who voted on another of their flats."""
    heads = dict(session.exec(select(SurveyEligible.household_id, SurveyEligible.owner_key)
                              .where(SurveyEligible.run_id == run.id)).all())
    voted = {heads.get(h) for h in session.exec(select(Ballot.household_id).where(Ballot.run_id == run.id))}
    return [(b, r) for b, r in rows if b.role == "owner" and heads.get(b.household_id) not in voted]


def remind(*, session: Session, now: datetime, render: Callable[..., str]) -> int:
    """Queue today's reminders for every open run; returns how many were new."""
    day = local_date(now).isoformat()
    queued = 0
    for run in session.exec(select(SurveyRun).where(SurveyRun.status != "closed")).all():
        if not runs.is_open(run, now):
            continue
        closes = show(run.closes_at, SHORT)
        text = render("wechat/survey_reminder.txt", run=run, closes=closes).strip()
        for household_id, resident in recipients(run, session=session).items():
            key = f"survey:{run.id}:{household_id}:{day}"
            if session.exec(select(OutboundMessage.id).where(OutboundMessage.dedup_key == key)).first():
                continue
            enqueue_text(openid=resident.openid, text=text, kind="survey.reminder", dedup_key=key,
                         template={"kind": "survey.reminder",
                                   "data": {"title": run.title, "closes": closes, "content": text}}, session=session)
            queued += 1
    return queued
