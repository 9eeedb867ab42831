"""通知 / 公告 in chat: the latest notices for the resident's building (and the community's).

A resident not bound to a household is told how notices reach them; the reply links
the H5 page listing every notice for their building.
"""
from __future__ import annotations

from sqlmodel import Session, or_, select

from handlers import registry, replies
from handlers.context import Context
from handlers.inbound import Inbound
from handlers.notices import links
from handlers.notices import scope as scopes
from models import Household, Notice
from models.households import active_binding
from models.localtime import show

CHAT_LIMIT = 3


def for_household(household: Household, *, session: Session, limit: int = 20) -> list[dict]:
    """Sent notices whose scope holds the household, newest first: {"notice", "scope", "when"}."""
    query = (select(Notice).where(Notice.community_id == household.community_id, Notice.status == "sent",
                                  or_(Notice.building_id.is_(None), Notice.building_id == household.building_id))
             .order_by(Notice.sent_at.desc(), Notice.id.desc()))
    rows = []
    for notice in session.exec(query.limit(limit * 4)).all():
        if scopes.in_scope(notice.building_id, notice.unit, household) and len(rows) < limit:
            rows.append({"notice": notice, "scope": scopes.label(notice.building_id, notice.unit, session=session),
                         "when": show(notice.sent_at, "%m月%d日")})
    return rows


def household_of(ctx: Context) -> Household | None:
    binding = active_binding(ctx.resident.id, session=ctx.session)
    return binding and ctx.session.get(Household, binding.household_id)


@registry.keyword("通知", "公告", "最新通知", "小区通知")
def latest(inbound: Inbound, ctx: Context) -> replies.Reply:
    household = household_of(ctx)
    if household is None:
        return ctx.say("wechat/notice_not_bound.txt")
    token = links.make_token(ctx.settings["app"]["secret_key"], resident_id=ctx.resident.id,
                             now_s=ctx.now.timestamp())
    link = links.notices_url(ctx.settings["app"]["public_base_url"], token)
    return ctx.say("wechat/notice_list.txt", rows=for_household(household, limit=CHAT_LIMIT, session=ctx.session),
                   link=link)
