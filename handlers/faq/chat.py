"""The FAQ in the chat: free text nobody else took, the FAQ menu, numbered choices."""
from __future__ import annotations

import re
import unicodedata
from datetime import timedelta

from sqlmodel import select

from handlers import conversation, registry, replies
from handlers.context import Context
from handlers.faq import service
from handlers.faq.cache import cache_for
from handlers.faq.decide import Decision, understand
from handlers.faq.fault import describes_fault
from handlers.inbound import Inbound
from models import Community, FaqEntry, PolicyArticle

CHOICE_FLOW = "faq_choice"
CHOICE_TTL = timedelta(minutes=30)
POPULAR_COUNT = 5
DEFAULT_HOTLINE = "12345"
_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_PICK = re.compile(r"^(?:第)?([1-9]|[一二两三四五])(?:个|条|项|号)?$")
_NONE_OF_THEM = {"都不是", "不是", "没有", "都不对", "不对", "0"}


def hotline(ctx: Context) -> str:
    """The resident's community's hotline, or the configured default."""
    community = community_of(ctx)
    if community is not None and community.hotline:
        return community.hotline
    return (ctx.settings.get("faq") or {}).get("default_hotline") or DEFAULT_HOTLINE


def community_of(ctx: Context) -> Community | None:
    cid = ctx.resident.community_id
    return ctx.session.get(Community, cid) if cid else None


def article_url(ctx: Context, article: PolicyArticle) -> str:
    if article.link:
        return article.link
    base = (ctx.settings.get("app") or {}).get("public_base_url", "").rstrip("/")
    return f"{base}/h5/articles/{article.id}"


@registry.fallback(50)
def answer_question(inbound: Inbound, ctx: Context) -> replies.Reply | None:
    """Free text (typed, or voice Recognition) that no keyword, flow or feature took."""
    text = (inbound.text or "").strip()
    if not text:
        return None
    decision = understand(cache_for(ctx.services).get(session=ctx.session), text)
    return reply_for(decision, text, ctx)


def reply_for(decision: Decision, text: str, ctx: Context) -> replies.Reply:
    if decision.kind == "smalltalk":
        return ctx.say("wechat/faq_smalltalk.txt", kind=decision.smalltalk, hotline=hotline(ctx))
    fault = describes_fault(text)  # something broken: 随手拍 sends it to whoever fixes it
    if decision.kind == "answer":
        return answer_entry(ctx, decision.best.entry_id, fault=fault)
    if decision.kind == "choices":
        ids = [c.entry_id for c in decision.candidates]
        return offer_choices(ctx, ids, asked=text, fault=fault)
    service.log_unanswered(text, openid=ctx.openid, community_id=ctx.resident.community_id,
                           candidates=[c.as_dict() for c in decision.candidates], now=ctx.now,
                           session=ctx.session)
    return ctx.say("wechat/faq_unknown.txt", hotline=hotline(ctx), community=community_of(ctx), fault=fault)


def answer_entry(ctx: Context, entry_id: int, fault: bool = False) -> replies.Reply:
    # The index's copy (active entries, as of ~2 s ago: what the match was made on) spares a
    # query per answer; an id it lacks (a choice offered before an edit) is read afresh.
    index = cache_for(ctx.services).index
    entry = index.by_id.get(entry_id) if index is not None else None
    if entry is None:
        entry = ctx.session.get(FaqEntry, entry_id)
        if entry is None or not entry.active:  # edited away since the index was built
            return ctx.say("wechat/faq_empty.txt", hotline=hotline(ctx))
    service.count_hit(entry_id, now=ctx.now, session=ctx.session)
    article = ctx.session.get(PolicyArticle, entry.article_id) if entry.article_id else None
    values = {"article_url": article_url(ctx, article), "article_title": article.title} if article else {}
    return ctx.say("wechat/faq_answer.txt", entry=entry, hotline=hotline(ctx), fault=fault, **values)


def offer_choices(ctx: Context, entry_ids: list[int], asked: str = "", fault: bool = False) -> replies.Reply:
    entries = [e for e in (ctx.session.get(FaqEntry, i) for i in entry_ids) if e is not None]
    conversation.start(ctx, CHOICE_FLOW, {"choices": [e.id for e in entries], "asked": asked[:200]},
                       ttl=CHOICE_TTL)
    return ctx.say("wechat/faq_choices.txt", questions=[e.question for e in entries], fault=fault)


def parse_pick(text: str) -> int | None:
    """1-based number from "1", "１", "第一个", "2号"...; None when it is not a pick."""
    match = _PICK.match(unicodedata.normalize("NFKC", text).strip().strip("。.、，, "))
    if not match:
        return None
    value = match.group(1)
    return int(value) if value.isdigit() else _NUMBERS[value]


@registry.flow(CHOICE_FLOW)
def pick_choice(inbound: Inbound, ctx: Context) -> replies.Reply | None:
    """A number picks one of the offered questions; anything else is a new message."""
    conv = conversation.current(ctx)
    state = dict(conv.state or {}) if conv else {}
    text = registry.normalize(inbound.text or "")
    pick = parse_pick(text)
    choices = state.get("choices") or []
    if pick is not None and 1 <= pick <= len(choices):
        conversation.end(ctx)
        return answer_entry(ctx, choices[pick - 1], fault=describes_fault(state.get("asked", "")))
    if pick is not None and choices:  # a number, but not one we offered: offer them again
        return offer_choices(ctx, choices, asked=state.get("asked", ""))
    conversation.end(ctx)
    if text in _NONE_OF_THEM and state.get("asked"):
        return reply_for(Decision("none"), state["asked"], ctx)
    return None


@registry.click("FAQ")
def faq_menu(inbound: Inbound, ctx: Context) -> replies.Reply:
    """Popular questions (a number picks, as with choices) and the policy articles."""
    popular = ctx.session.exec(select(FaqEntry).where(FaqEntry.active == True)  # noqa: E712
                               .order_by(FaqEntry.hits.desc(), FaqEntry.id).limit(POPULAR_COUNT)).all()
    articles = ctx.session.exec(select(PolicyArticle).where(PolicyArticle.active == True)  # noqa: E712
                                .order_by(PolicyArticle.sort_key, PolicyArticle.id).limit(5)).all()
    if not popular and not articles:
        return ctx.say("wechat/faq_empty.txt", hotline=hotline(ctx))
    if popular:
        conversation.start(ctx, CHOICE_FLOW, {"choices": [e.id for e in popular]}, ttl=CHOICE_TTL)
    links = [{"title": a.title, "url": article_url(ctx, a)} for a in articles]
    return ctx.say("wechat/faq_menu.txt", questions=[e.question for e in popular], articles=links)


@registry.keyword("政策", "政策文件", "政策文章", "改造政策")
def policy_articles(inbound: Inbound, ctx: Context) -> replies.Reply:
    """The policy articles as a news (图文) reply."""
    articles = ctx.session.exec(select(PolicyArticle).where(PolicyArticle.active == True)  # noqa: E712
                                .order_by(PolicyArticle.sort_key, PolicyArticle.id).limit(8)).all()
    if not articles:
        return faq_menu(inbound, ctx)
    return replies.news(*(replies.Article(title=a.title, description=a.summary, pic_url=a.cover_url,
                                          url=article_url(ctx, a)) for a in articles))
