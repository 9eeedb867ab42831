"""随手拍 in chat: the COMPLAINT menu, the keyword, photos and the "complaint" flow.

A resident sends photos, words and maybe a location in any order; once there
are words we show the numbered categories; a number submits and the reply
carries the ticket.  Whatever is left unsaid, the clock submits after the
quiet time (intake.finalize_stale).
"""
from __future__ import annotations

from handlers import conversation, registry, replies
from handlers.complaints import categories, intake, notices
from handlers.complaints.env import Actor, Env, from_context
from handlers.complaints.followup import add_info_photo, need_info_complaint
from handlers.context import Context
from handlers.inbound import ImageMessage, Inbound, LocationMessage, LocationSelectEvent

FLOW = "complaint"
SUBMIT_WORDS = {"提交", "完成", "好了", "就这些"}


@registry.click("COMPLAINT")
@registry.keyword("随手拍", "我要随手拍", "投诉", "反映问题")
def start(inbound: Inbound, ctx: Context) -> replies.Reply:
    conversation.start(ctx, FLOW, {})
    return ctx.say("wechat/complaint_start.txt")


@registry.on("event.pic_sysphoto", "event.pic_photo_or_album", "event.pic_weixin")
def photo_menu(inbound: Inbound, ctx: Context) -> replies.Reply:
    # The photos themselves follow as image messages; nothing to say yet.
    conversation.start(ctx, FLOW, {})
    return replies.SUCCESS


@registry.on("image")
def image(inbound: ImageMessage, ctx: Context) -> replies.Reply:
    env = from_context(ctx)
    waiting = need_info_complaint(ctx.resident, session=ctx.session, prefetched=ctx.prefetched)
    if waiting is not None:
        return add_info_photo(waiting, inbound.media_id, env=env, ctx=ctx)
    draft = intake.draft_for(ctx.resident, env=env)
    intake.add_photo(draft, inbound.media_id, env=env)
    state = _keep_flow(ctx)
    count = intake.photo_count(draft, session=ctx.session)
    if draft.description and not state.get("asked"):
        return _ask_category(ctx, state)
    return ctx.say("wechat/complaint_photo_received.txt", photos=count, has_text=bool(draft.description))


@registry.flow(FLOW)
def in_flow(inbound: Inbound, ctx: Context) -> replies.Reply | None:
    if isinstance(inbound, ImageMessage):
        return image(inbound, ctx)
    if isinstance(inbound, (LocationMessage, LocationSelectEvent)):
        return location(inbound, ctx)
    if inbound.text and inbound.kind in ("text", "voice"):
        return words(inbound.text, ctx)
    return None  # menu clicks and other events go their usual way


def words(text: str, ctx: Context) -> replies.Reply:
    env = from_context(ctx)
    state = dict(conversation.current(ctx).state)
    draft = intake.current_draft(ctx.resident, session=ctx.session)
    if text.strip() in SUBMIT_WORDS:
        return _submit(draft, ctx, env) if draft and intake.has_content(draft, session=ctx.session) \
            else ctx.say("wechat/complaint_need_photo_or_text.txt")
    chosen = categories.by_choice(ctx.settings, text) if state.get("asked") else None
    if chosen is not None and draft is not None and intake.has_content(draft, session=ctx.session):
        draft.category = chosen.code
        return _submit(draft, ctx, env)
    if chosen is not None:
        return ctx.say("wechat/complaint_need_photo_or_text.txt")
    draft = draft or intake.draft_for(ctx.resident, env=env)
    intake.add_text(draft, text, env=env)
    return _ask_category(ctx, state)


def location(inbound, ctx: Context) -> replies.Reply:
    env = from_context(ctx)
    draft = intake.draft_for(ctx.resident, env=env)
    label = inbound.label or f"{inbound.latitude:.5f},{inbound.longitude:.5f}"
    intake.set_location(draft, inbound.latitude, inbound.longitude, label, env=env)
    state = _keep_flow(ctx)
    if draft.description:
        return _ask_category(ctx, state, location=label)
    return ctx.say("wechat/complaint_location_received.txt", location=label, has_text=False)


def _ask_category(ctx: Context, state: dict, location: str = "") -> replies.Reply:
    conversation.save(ctx, conversation.current(ctx) or conversation.start(ctx, FLOW), {**state, "asked": True})
    draft = intake.current_draft(ctx.resident, session=ctx.session)
    return ctx.say("wechat/complaint_ask_category.txt", categories=categories.all_categories(ctx.settings),
                   location=location, has_location=bool(draft and draft.latitude is not None))


def _keep_flow(ctx: Context) -> dict:
    conv = conversation.current(ctx)
    if conv is None or conv.flow != FLOW:
        conv = conversation.start(ctx, FLOW, {})
    return dict(conv.state)


def _submit(draft, ctx: Context, env: Env) -> replies.Reply:
    intake.submit(draft, env=env, actor=Actor.resident(ctx.resident.id), notify=False)
    conversation.end(ctx)
    return ctx.say("wechat/complaint_submit.txt", c=draft, category=categories.short_name(ctx.settings, draft.category),
                   photos_pending=intake.pending_photos(draft, session=ctx.session) > 0,
                   review_hours=notices.review_hours(draft, env))
