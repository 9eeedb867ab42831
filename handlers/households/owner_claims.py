"""Owner (产权人) claims: who binds as an owner at once, and who waits for a worker.

An owner answers for the household where only owners vote, so knowing the owner's
name (any neighbour may) is not enough:

- the household already has a bound owner: every further owner claim waits for a
  worker, whatever the proof, and the bound owners are told (outbox);
- otherwise the last four digits of the roster phone bind at once; the name alone
  asks for them in chat, and waits for a worker when the roster has no phone or the
  resident cannot give them.

While a claim waits, the claimant is not bound as an owner (an earlier binding stays
as it was), so they cannot vote as one.
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from sqlmodel import Session

from handlers.households import membership
from models import Binding, BindingRequest, Community, Household, Resident
from models.households import household_bindings
from models.outbox import enqueue_text

Renderer = Callable[..., str]


def other_owners(household_id: int, resident_id: int, *, session: Session) -> list[Binding]:
    """The household's bound owners other than this resident."""
    return [b for b in household_bindings(household_id,
                                          session=session) if b.role == "owner" and b.resident_id != resident_id]


def worker_reason(resident: Resident, household: Household, proof: str, *, session: Session) -> str | None:
    """Why an owner claim with this proof must wait for a worker, or None (bind now)."""
    if other_owners(household.id, resident.id, session=session):
        return "second_owner"
    if proof != "phone":
        return "name_only"
    return None


def file_claim(*, session: Session, resident: Resident, household: Household, reason: str, proof: str,
               claimed_name: str, render: Renderer, now: datetime) -> BindingRequest:
    """A pending owner claim for a worker; the household's bound owners are told once per claim."""
    owners = other_owners(household.id, resident.id, session=session)
    request = membership.request_binding(resident=resident, household=household, role="owner",
                                         claimed_name=claimed_name, reason="second_owner" if owners else reason,
                                         proof=proof, now=now, session=session)
    community = session.get(Community, household.community_id)
    text = render("wechat/binding_owner_claim.txt", household=membership.describe(household, session=session),
                  hotline=community.hotline if community else "").strip()
    for owner in owners:
        recipient = session.get(Resident, owner.resident_id)
        if recipient is not None and recipient.active:  # an unfollowed account cannot be written to
            enqueue_text(openid=recipient.openid, text=text, kind="binding",
                         dedup_key=f"owner-claim:{request.id}:{owner.resident_id}", session=session)
    return request
