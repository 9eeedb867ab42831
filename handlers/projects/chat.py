"""进度 / 改造进度: where the community's renovation stands, what comes next, the items of the resident's building.

A whole-message keyword, so it goes before the complaints' free-text progress question
("我上回反映的墙皮咋样了", handlers/complaints/progress.py) and 我的诉求 / 查进度 keep theirs.
"""
from __future__ import annotations

from handlers import registry, replies
from handlers.context import Context
from handlers.inbound import Inbound
from handlers.projects import links, service
from models import Building, Household
from models.households import active_binding
from models.projects import STAGE_STATUS, stages_of

LISTED = 8


@registry.keyword("进度", "改造进度", "项目进度", "工程进度")
def progress(inbound: Inbound, ctx: Context) -> replies.Reply:
    binding = active_binding(ctx.resident.id, session=ctx.session)
    household = binding and ctx.session.get(Household, binding.household_id)
    if household is None:
        return ctx.say("wechat/progress_unbound.txt")
    project = service.current(household.community_id, session=ctx.session, now=ctx.now)
    stages = stages_of(project.id, session=ctx.session)
    stage = service.current_stage(stages)
    buildings = service.building_names(household.community_id, session=ctx.session)
    items = service.items_of(project.id, session=ctx.session, building_id=household.building_id,
                             unit=household.unit, everything=False)
    building = ctx.session.get(Building, household.building_id)
    return ctx.say("wechat/progress.txt", stage=stage, stage_label=STAGE_STATUS[stage.status],
                   following=service.next_stage(stages, stage),
                   items=[service.item_dict(i, buildings) for i in items[:LISTED]], more=max(0, len(items) - LISTED),
                   building=building.name if building else "", link=page_link(ctx))


def page_link(ctx: Context) -> str:
    token = links.make_token(ctx.settings["app"]["secret_key"], resident_id=ctx.resident.id,
                             now_s=ctx.now.timestamp())
    return links.project_url(ctx.settings["app"]["public_base_url"], token)
