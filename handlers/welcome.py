"""First conversations: subscribe, unsubscribe, QR scans and the menu."""
from __future__ import annotations

from sqlmodel import select

from handlers import registry, replies
from handlers.context import Context
from handlers.inbound import Inbound, is_number
from models import Building, Community

def community_from_scene(ctx: Context, scene: str) -> Community | None:
    """A QR scene ``community_<id or code>`` (or ``building_<id>``) names the resident's community."""
    prefix, _, value = scene.partition("_")
    if prefix == "building" and is_number(value):  # a QR code posted in a stairwell
        building = ctx.session.get(Building, int(value))
        return ctx.session.get(Community, building.community_id) if building else None
    if prefix != "community" or not value:
        return None
    if is_number(value):
        found = ctx.session.get(Community, int(value))
        if found:
            return found
    return ctx.session.exec(select(Community).where(Community.code == value)).first()


def remember_scene(ctx: Context, scene: str) -> Community | None:
    community = community_from_scene(ctx, scene) if scene else None
    if community is not None:
        ctx.resident.community_id = community.id
        ctx.session.add(ctx.resident)
    return community


@registry.on("event.subscribe")
def subscribe(inbound: Inbound, ctx: Context) -> replies.Reply:
    ctx.resident.active, ctx.resident.subscribed_at = True, ctx.now
    ctx.resident.unsubscribed_at = None
    community = remember_scene(ctx, getattr(inbound, "scene", ""))
    return ctx.say("wechat/welcome.txt", community=community)


@registry.on("event.scan")
def scan(inbound: Inbound, ctx: Context) -> replies.Reply:
    community = remember_scene(ctx, getattr(inbound, "scene", ""))
    if community is None:
        return replies.SUCCESS
    return ctx.say("wechat/scan.txt", community=community)


@registry.on("event.unsubscribe")
def unsubscribe(inbound: Inbound, ctx: Context) -> replies.Reply:
    """Marked inactive, nothing deleted: ballots and complaints stay on record."""
    ctx.resident.active, ctx.resident.unsubscribed_at = False, ctx.now
    ctx.session.add(ctx.resident)
    return replies.SUCCESS


@registry.on("event.click")
def menu_click(inbound: Inbound, ctx: Context) -> replies.Reply:
    key = getattr(inbound, "event_key", "")
    handler = registry.CLICKS.get(key)
    if handler is not None:
        reply = handler(inbound, ctx)
        if reply is not None:
            return reply
    return ctx.say("wechat/capabilities.txt", resident=ctx.resident, kind="click")


@registry.keyword("你好", "您好", "hi", "hello", "在吗", "在不在", "帮助", "help", "菜单")
def greeting(inbound: Inbound, ctx: Context) -> replies.Reply:
    return ctx.say("wechat/capabilities.txt", resident=ctx.resident, kind="greeting")


@registry.fallback(0)
def punctuation_only(inbound: Inbound, ctx: Context) -> replies.Reply | None:
    """A lone "？" (or "。。") asks what the account can do; tried before a waiting complaint takes it as words."""
    if not inbound.text or registry.normalize(inbound.text):
        return None
    return greeting(inbound, ctx)


@registry.keyword("谢谢", "谢谢你", "谢谢您", "多谢", "感谢", "好的谢谢", "thanks", "thank you")
def thanks(inbound: Inbound, ctx: Context) -> replies.Reply:
    return ctx.say("wechat/thanks.txt")
