"""After submission, in chat: "我的诉求", answering a need-info request, rating the result."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import Session, select

from handlers import conversation, registry, replies
from handlers.complaints import categories, intake, lifecycle, rating_words
from handlers.complaints.env import Actor, Env, from_context
from handlers.complaints.labels import RATING_LABELS
from handlers.complaints.labels import RESIDENT_STATE_LABELS as STATE_LABELS
from handlers.context import Context
from handlers.inbound import ImageMessage, Inbound
from models import Complaint, Resident

RATING_WORDS = {"1": "solved", "2": "partly", "3": "not_solved",
                "已解决": "solved", "部分解决": "partly", "未解决": "not_solved", "没解决": "not_solved"}
RATING_RE = re.compile(r"^\s*(1|2|3|已解决|部分解决|未解决|没解决)\s*(?:[,，、\s]\s*([1-5])\s*分?)?\s*$")
MINE_LIMIT = 5
INFO_FLOW = "complaint_info"


NEED_INFO_PROBE = "complaint.need_info"


@registry.probe(NEED_INFO_PROBE)
def need_info_id():
    """The id of the resident's latest complaint waiting for their words (read with the resident)."""
    return (select(Complaint.id).where(Complaint.resident_id == Resident.id, Complaint.state == "need_info")
            .order_by(Complaint.id.desc()).limit(1).scalar_subquery())


def need_info_complaint(resident: Resident, *, session: Session, prefetched: dict | None = None) -> Complaint | None:
    if prefetched is not None and NEED_INFO_PROBE in prefetched:
        found = prefetched[NEED_INFO_PROBE]
        return session.get(Complaint, found) if found is not None else None
    return session.exec(select(Complaint).where(Complaint.resident_id == resident.id,
                                                Complaint.state == "need_info")
                        .order_by(Complaint.id.desc())).first()


def add_info_photo(complaint: Complaint, media_id: str, *, env: Env, ctx: Context) -> replies.Reply:
    intake.add_photo(complaint, media_id, env=env)
    lifecycle.transition(complaint, "add_info", env=env, actor=Actor.resident(ctx.resident.id), note="（补充照片）")
    return _keep_adding(complaint, ctx, env)


def _keep_adding(complaint: Complaint, ctx: Context, env: Env) -> replies.Reply:
    """For the quiet time after an answer, more words or photos still join the same complaint."""
    conversation.start(ctx, INFO_FLOW, {"complaint_id": complaint.id}, ttl=timedelta(minutes=env.cfg.quiet_minutes))
    return ctx.say("wechat/complaint_info_added.txt", c=complaint)


@registry.flow(INFO_FLOW)
def more_info(inbound: Inbound, ctx: Context) -> replies.Reply | None:
    complaint = ctx.session.get(Complaint, conversation.current(ctx).state.get("complaint_id"))
    if complaint is None or complaint.resident_id != ctx.resident.id:
        conversation.end(ctx)
        return None
    env = from_context(ctx)
    if isinstance(inbound, ImageMessage):
        intake.add_photo(complaint, inbound.media_id, env=env)
    elif inbound.kind in ("text", "voice") and inbound.text:
        intake.add_text(complaint, "【补充】" + inbound.text.strip()[:1000], env=env)
    else:
        return None
    return _keep_adding(complaint, ctx, env)


@registry.click("MY_COMPLAINTS")
@registry.keyword("我的诉求", "我的投诉", "诉求进度", "查进度")
def mine(inbound: Inbound, ctx: Context) -> replies.Reply:
    env = from_context(ctx)
    rows = ctx.session.exec(select(Complaint).where(Complaint.resident_id == ctx.resident.id,
                                                    Complaint.state != "draft")
                            .order_by(Complaint.id.desc()).limit(MINE_LIMIT)).all()
    items = [{"ticket": c.ticket, "category": categories.short_name(ctx.settings, c.category),
              "state": STATE_LABELS.get(c.state, c.state), "rate": c.state == "resolved",
              "photos_pending": intake.pending_photos(c, session=ctx.session) > 0,
              "link": env.url("status", c, openid=ctx.openid)} for c in rows]
    return ctx.say("wechat/complaint_mine.txt", items=items)


@registry.fallback(1)
def rating_or_info(inbound: Inbound, ctx: Context) -> replies.Reply | None:
    """A rating for a resolved complaint, or words for one that waits for them."""
    rating = rating_of(inbound.text or "")
    awaiting = awaiting_rating(ctx) if rating else None  # most texts are questions: no query for them
    if awaiting is not None:
        env = from_context(ctx)
        lifecycle.transition(awaiting, "rate", env=env, actor=Actor.resident(ctx.resident.id),
                             notify=False, result=rating.result, score=rating.score)
        worded = RATING_RE.match(inbound.text or "") is None
        return ctx.say("wechat/complaint_rate.txt", c=awaiting, data={"result": awaiting.rating_result},
                       understood=RATING_LABELS[rating.result] if worded else "", score=rating.score)
    waiting = need_info_complaint(ctx.resident, session=ctx.session, prefetched=ctx.prefetched)
    if waiting is not None and inbound.text:
        env = from_context(ctx)
        lifecycle.transition(waiting, "add_info", env=env, actor=Actor.resident(ctx.resident.id),
                             note=inbound.text.strip()[:1000])
        return _keep_adding(waiting, ctx, env)
    return None


def rating_of(text: str) -> rating_words.Rating | None:
    """"1 5", "已解决", or the same in words ("修好了，挺好的"); None when it is no rating."""
    match = RATING_RE.match(text)
    if match:
        return rating_words.Rating(RATING_WORDS[match.group(1)], int(match.group(2)) if match.group(2) else None)
    return rating_words.parse(text)


def awaiting_rating(ctx: Context) -> Complaint | None:
    """The resident's most recent resolved complaint (own, not followed)."""
    return ctx.session.exec(select(Complaint).where(Complaint.resident_id == ctx.resident.id,
                                                    Complaint.state == "resolved")
                            .order_by(Complaint.resolved_at.desc())).first()
