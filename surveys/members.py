"""Telling a household's bound members what happened to their household's ballot.

One household, one ballot: when a member (or a worker entering a paper form)
replaces it, the other members would not know that their vote changed.  They are
told through the outbox, in the same transaction as the change.
"""
from __future__ import annotations

from typing import Callable

from sqlmodel import Session

from models import Resident
from models.localtime import SHORT, show
from models.households import household_bindings
from models.outbox import enqueue_text
from models.surveys import Ballot, SurveyRun

Renderer = Callable[..., str]


def tell_ballot_replaced(ballot: Ballot, run: SurveyRun, by_resident_id: int | None, *, session: Session,
                         render: Renderer) -> int:
    """Queue a notice to every verified member but the one who changed it; returns how many."""
    bindings = household_bindings(ballot.household_id, session=session)
    by_role = next((b.role for b in bindings if b.resident_id == by_resident_id), None)
    text = render("wechat/survey_ballot_replaced.txt", run=run, revision=ballot.revision,
                  at=show(ballot.updated_at, SHORT),
                  by_role=by_role, by_staff=by_resident_id is None).strip()
    told = 0
    for binding in bindings:
        resident = session.get(Resident, binding.resident_id)
        if binding.resident_id == by_resident_id or resident is None or not resident.active:
            continue
        enqueue_text(openid=resident.openid, text=text, kind="survey.ballot_replaced",
                     dedup_key=f"ballot-replaced:{ballot.id}:{ballot.revision}:{resident.id}", session=session)
        told += 1
    return told
