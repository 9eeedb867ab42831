"""Binding in chat: “绑定” or the BIND menu starts a short dialogue.

community (numbered list, or the one from the QR code) → building → room
(→ unit when the room number is ambiguous) → relation to the household →
owner's name or last four digits of the roster phone.  A match binds at once
(verified by the roster); otherwise the resident may ask a worker (a binding
request; the outcome arrives through the outbox).  Five wrong answers within
a day refuse binding for the rest of that day.  “解绑” ends a binding.
"""
from __future__ import annotations

from typing import Callable

from sqlmodel import select

from handlers import conversation, registry, replies
from handlers.context import Context
from handlers.households import membership
from handlers.households.binding_steps import (FLOW, LOCK_PERIOD, MAX_WRONG_ANSWERS, STEPS, ask_building,
                                               ask_community, wrong_answers)
from handlers.inbound import Inbound
from models import Community

CANCEL_WORDS = {"取消", "退出", "算了", "cancel", "quit"}


@registry.keyword("绑定", "绑定房屋", "绑定房号", "房屋绑定", "重新绑定", "bind")
@registry.click("BIND")
def start(inbound: Inbound, ctx: Context) -> replies.Reply:
    if wrong_answers(ctx) >= MAX_WRONG_ANSWERS:
        return ctx.say("wechat/binding_result.txt", outcome="locked", hours=int(LOCK_PERIOD.total_seconds() // 3600))
    current = membership.current_household(ctx.resident.id, session=ctx.session)
    previous = membership.describe(current, session=ctx.session) if current else None
    community = ctx.session.get(Community, ctx.resident.community_id) if ctx.resident.community_id else None
    if community is None:
        communities = ctx.session.exec(select(Community).order_by(Community.name)).all()
        if len(communities) == 1:
            community = communities[0]
        else:
            return ask_community(ctx, communities, previous=previous)
    return ask_building(ctx, community, previous=previous)


@registry.flow(FLOW)
def resume(inbound: Inbound, ctx: Context) -> replies.Reply | None:
    """The next answer of the dialogue; messages that are not text go to their own handlers."""
    if not inbound.text:
        return None
    conv = conversation.current(ctx)
    if inbound.text.strip() in CANCEL_WORDS:
        conversation.end(ctx)
        return ctx.say("wechat/binding_result.txt", outcome="cancelled")
    step: Callable | None = STEPS.get(conv.state.get("step", "")) if conv else None
    if step is None:
        conversation.end(ctx)
        return None
    return step(ctx, conv, inbound.text)


@registry.keyword("解绑", "解除绑定", "取消绑定", "unbind")
def unbind(inbound: Inbound, ctx: Context) -> replies.Reply:
    household = membership.unbind(resident=ctx.resident, now=ctx.now, session=ctx.session)
    if household is None:
        return ctx.say("wechat/binding_result.txt", outcome="not_bound")
    return ctx.say("wechat/binding_result.txt", outcome="unbound",
                   household=membership.describe(household, session=ctx.session))
