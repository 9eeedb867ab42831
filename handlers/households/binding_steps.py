"""The steps of the binding dialogue, keyed by the step name kept in the conversation."""
from __future__ import annotations

from datetime import timedelta
from typing import Callable

from sqlalchemy import func
from sqlmodel import select

from handlers import conversation, registry, replies
from handlers.context import Context
from handlers.households import membership, owner_claims
from handlers.households.binding_match import (clean, has_roster_identity, parse_unit_room, phone_digits,
                                               pick_number, proof_of, same_building)
from models import BindingAttempt, Building, Community, Conversation, Household

FLOW = "binding"
TTL = timedelta(minutes=30)
MAX_CHOICES = 30
MAX_WRONG_ANSWERS = 5
LOCK_PERIOD = timedelta(hours=24)
ROLES = ("owner", "family", "tenant")
ASK_WORKER_WORDS = {"申请", "人工", "人工审核", "申请审核"}

Step = Callable[[Context, Conversation, str], replies.Reply]
STEPS: dict[str, Step] = {}


def step(name: str):
    def register(fn: Step) -> Step:
        registry.put(STEPS, name, fn, what="binding step")
        return fn
    return register


def ask(ctx: Context, state: dict, **values) -> replies.Reply:
    conversation.start(ctx, FLOW, state, ttl=TTL)
    return ctx.say("wechat/binding_ask.txt", step=state["step"], **values)


def finish(ctx: Context, outcome: str, **values) -> replies.Reply:
    conversation.end(ctx)
    return ctx.say("wechat/binding_result.txt", outcome=outcome, **values)


def wrong_answers(ctx: Context) -> int:
    query = select(func.count()).select_from(BindingAttempt).where(
        BindingAttempt.resident_id == ctx.resident.id, BindingAttempt.at > ctx.now - LOCK_PERIOD)
    return ctx.session.exec(query).one()


def ask_community(ctx: Context, communities: list[Community], previous: str | None = None,
                  retry: bool = False) -> replies.Reply:
    shown = communities[:MAX_CHOICES]
    return ask(ctx, {"step": "community", "choices": [c.id for c in shown]},
               communities=shown, previous=previous, retry=retry)


def ask_building(ctx: Context, community: Community, previous: str | None = None,
                 retry: bool = False) -> replies.Reply:
    buildings = ctx.session.exec(select(Building).where(Building.community_id == community.id)
                                 .order_by(Building.sort_key, Building.name)).all()
    if not buildings:
        return finish(ctx, "no_roster", community=community)
    return ask(ctx, {"step": "building", "community_id": community.id, "choices": [b.id for b in buildings]},
               community=community, buildings=buildings, previous=previous, retry=retry)


@step("community")
def choose_community(ctx: Context, conv: Conversation, text: str) -> replies.Reply:
    ids = conv.state.get("choices", [])
    index = pick_number(text, len(ids))
    if index is not None:
        community = ctx.session.get(Community, ids[index])
    else:
        name = clean(text)
        community = ctx.session.exec(select(Community).where(Community.name.contains(name))).first() if name else None
    if community is None:
        listed = [c for c in (ctx.session.get(Community, i) for i in ids) if c is not None]
        return ask_community(ctx, listed, retry=True)
    return ask_building(ctx, community)


@step("building")
def choose_building(ctx: Context, conv: Conversation, text: str) -> replies.Reply:
    ids = conv.state.get("choices", [])
    buildings = [b for b in (ctx.session.get(Building, i) for i in ids) if b is not None]
    index = pick_number(text, len(ids))
    chosen = buildings[index] if index is not None and index < len(buildings) else next(
        (b for b in buildings if same_building(text, b.name)), None)
    if chosen is None:
        return ask_building(ctx, ctx.session.get(Community, conv.state["community_id"]), retry=True)
    return ask(ctx, {"step": "room", "building_id": chosen.id}, building=chosen)


@step("room")
def choose_room(ctx: Context, conv: Conversation, text: str) -> replies.Reply:
    building = ctx.session.get(Building, conv.state["building_id"])
    parsed = parse_unit_room(text)
    found: list[Household] = []
    if parsed:
        unit, room = parsed
        query = select(Household).where(Household.building_id == building.id, Household.room == room)
        found = list(ctx.session.exec(query if unit is None else query.where(Household.unit == unit)))
    if not found:
        return ask(ctx, dict(conv.state), building=building, retry=True, typed=clean(text))
    if len(found) > 1:
        found.sort(key=lambda h: (len(h.unit), h.unit))
        return ask(ctx, {"step": "unit", "choices": [h.id for h in found]}, building=building, households=found)
    return ask_role(ctx, found[0])


@step("unit")
def choose_unit(ctx: Context, conv: Conversation, text: str) -> replies.Reply:
    ids = conv.state.get("choices", [])
    index = pick_number(text, len(ids))
    if index is None:
        households = [ctx.session.get(Household, i) for i in ids]
        building = ctx.session.get(Building, households[0].building_id)
        return ask(ctx, dict(conv.state), building=building, households=households, retry=True)
    return ask_role(ctx, ctx.session.get(Household, ids[index]))


def ask_role(ctx: Context, household: Household) -> replies.Reply:
    return ask(ctx, {"step": "role", "household_id": household.id},
               household=membership.describe(household, session=ctx.session))


@step("role")
def choose_role(ctx: Context, conv: Conversation, text: str) -> replies.Reply:
    household = ctx.session.get(Household, conv.state["household_id"])
    index = pick_number(text, len(ROLES))
    if index is None:
        return ask(ctx, dict(conv.state), household=membership.describe(household, session=ctx.session), retry=True)
    if not has_roster_identity(household):
        return send_to_worker(ctx, household, ROLES[index], claimed="", reason="no_roster")
    return ask(ctx, {"step": "verify", "household_id": household.id, "role": ROLES[index]},
               household=membership.describe(household, session=ctx.session))


@step("verify")
def verify(ctx: Context, conv: Conversation, text: str) -> replies.Reply:
    household = ctx.session.get(Household, conv.state["household_id"])
    role, answer = conv.state["role"], clean(text)
    if answer in ASK_WORKER_WORDS:
        return send_to_worker(ctx, household, role, claimed=conv.state.get("last_answer", ""))
    proof = proof_of(answer, household)
    if proof is None:
        return wrong_answer(ctx, conv, household, answer)
    return accept(ctx, household, role, proof, claimed=answer if proof == "name" else "")


@step("verify_phone")
def verify_phone(ctx: Context, conv: Conversation, text: str) -> replies.Reply:
    """An owner who gave only the name: the last four digits of the roster phone, or “申请”."""
    household = ctx.session.get(Household, conv.state["household_id"])
    answer = clean(text)
    if answer in ASK_WORKER_WORDS:
        return send_to_worker(ctx, household, "owner", claimed=conv.state.get("claimed", ""), reason="name_only",
                              proof="name")
    if proof_of(answer, household) == "phone":
        return accept(ctx, household, "owner", "phone", claimed=conv.state.get("claimed", ""))
    return wrong_answer(ctx, conv, household, answer)


def accept(ctx: Context, household: Household, role: str, proof: str, claimed: str) -> replies.Reply:
    """The answer matched the roster: bind now, ask an owner for stronger proof, or leave it to a worker."""
    reason = owner_claims.worker_reason(ctx.resident, household, proof,
                                        session=ctx.session) if role == "owner" else None
    if reason == "name_only" and len(phone_digits(household)) >= 4:
        return ask(ctx, {"step": "verify_phone", "household_id": household.id, "claimed": claimed[:64]},
                   household=membership.describe(household, session=ctx.session))
    if reason:
        return send_to_worker(ctx, household, role, claimed=claimed, reason=reason, proof=proof)
    membership.bind(resident=ctx.resident, household=household, role=role, verified_by="roster",
                    now=ctx.now, session=ctx.session)
    return finish(ctx, "bound", household=membership.describe(household, session=ctx.session),
                  role=membership.ROLE_LABELS[role])


def wrong_answer(ctx: Context, conv: Conversation, household: Household, answer: str) -> replies.Reply:
    """Counted towards the lock; the same step is asked again."""
    ctx.session.add(BindingAttempt(resident_id=ctx.resident.id, household_id=household.id, at=ctx.now))
    ctx.session.flush()
    left = MAX_WRONG_ANSWERS - wrong_answers(ctx)
    if left <= 0:
        return finish(ctx, "locked", hours=int(LOCK_PERIOD.total_seconds() // 3600))
    return ask(ctx, {**conv.state, "last_answer": answer[:64]}, household=membership.describe(household,
                                                                                              session=ctx.session),
               mismatch=True, left=left)


def send_to_worker(ctx: Context, household: Household, role: str, claimed: str, reason: str = "mismatch",
                   proof: str = "") -> replies.Reply:
    """A request for a worker; an owner claim also tells the household's bound owners."""
    if role != "owner":
        membership.request_binding(resident=ctx.resident, household=household, role=role,
                                   claimed_name=claimed, reason=reason, proof=proof, now=ctx.now, session=ctx.session)
        return finish(ctx, "requested", household=membership.describe(household, session=ctx.session))
    request = owner_claims.file_claim(resident=ctx.resident, household=household, reason=reason,
                                      proof=proof, claimed_name=claimed, render=ctx.render, now=ctx.now,
                                      session=ctx.session)
    return finish(ctx, "owner_pending", household=membership.describe(household, session=ctx.session),
                  second_owner=request.reason == "second_owner")
