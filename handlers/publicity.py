"""公示 in chat: what is open for objection, and raising an objection (异议).

公示 lists the publications open for the resident's household with the figures
in short and a link to the H5 page.  异议 starts the ``objection`` flow: choose
the publication when there are several, then one text message is the objection.
"""
from __future__ import annotations

from handlers import conversation, registry, replies
from handlers.context import Context
from handlers.inbound import Inbound
from models.households import active_binding
from models.localtime import show
from surveys import objections, publicity_links
from surveys.errors import SurveyError

FLOW = "objection"
QUIT = ("退出", "取消", "结束")


def _items(ctx: Context) -> list[dict]:
    found = objections.open_for(ctx.resident.id, session=ctx.session, now=ctx.now)
    return [{"id": p.id, "s": p.figures["summary"], "ends": show(p.objection_ends_at),
             "link": publicity_links.page_url(ctx.settings["app"], resident_id=ctx.resident.id, publicity=p,
                                              now=ctx.now)} for p, _ in found]


@registry.keyword("公示", "结果公示", "公示结果")
def show_open(inbound: Inbound, ctx: Context) -> replies.Reply:
    """The publications open for objection, with a short summary of their figures."""
    bound = active_binding(ctx.resident.id, session=ctx.session) is not None
    return ctx.say("wechat/publicity_open.txt", items=_items(ctx), bound=bound)


@registry.keyword("异议", "提出异议", "我有异议")
def start(inbound: Inbound, ctx: Context) -> replies.Reply:
    items = _items(ctx)
    if not items:
        reason = objections.refusal(ctx.resident.id, session=ctx.session, now=ctx.now)
        return ctx.say("wechat/publicity_objection.txt", stage="none", reason=reason, refused=bool(reason))
    if len(items) == 1:
        conversation.start(ctx, FLOW, {"stage": "write", "publicity": items[0]["id"]})
        return ctx.say("wechat/publicity_objection.txt", stage="write", s=items[0]["s"])
    conversation.start(ctx, FLOW, {"stage": "choose", "ids": [i["id"] for i in items]})
    return ctx.say("wechat/publicity_objection.txt", stage="choose", items=items)


@registry.flow(FLOW)
def continue_objection(inbound: Inbound, ctx: Context) -> replies.Reply | None:
    if inbound.text is None:
        return None  # events and photos go to their own handlers
    conv = conversation.current(ctx)
    state, text = dict(conv.state), inbound.text.strip()
    if registry.normalize(text) in QUIT:
        conversation.end(ctx)
        return ctx.say("wechat/publicity_objection.txt", stage="cancelled")
    items = {i["id"]: i for i in _items(ctx)}
    if state.get("stage") == "choose":
        return _choose(ctx, conv, state, items, registry.normalize(text))
    if state.get("publicity") not in items:
        conversation.end(ctx)
        return ctx.say("wechat/publicity_objection.txt", stage="none", reason="本次公示的异议期已结束。")
    try:
        row = objections.raise_objection(state["publicity"], ctx.resident.id, text, session=ctx.session,
                                         now=ctx.now, channel="wechat")
    except SurveyError as exc:
        return ctx.say("wechat/publicity_objection.txt", stage="write", s=items[state["publicity"]]["s"],
                       error=str(exc))
    conversation.end(ctx)
    return ctx.say("wechat/publicity_objection.txt", stage="done", objection=row)


def _choose(ctx: Context, conv, state: dict, items: dict, text: str) -> replies.Reply:
    ids = [i for i in state.get("ids", []) if i in items]
    if not ids:
        conversation.end(ctx)
        return ctx.say("wechat/publicity_objection.txt", stage="none")
    if not text.isdigit() or not 1 <= int(text) <= len(ids):
        return ctx.say("wechat/publicity_objection.txt", stage="choose", items=[items[i] for i in ids])
    chosen = ids[int(text) - 1]
    conversation.save(ctx, conv, {"stage": "write", "publicity": chosen})
    return ctx.say("wechat/publicity_objection.txt", stage="write", s=items[chosen]["s"])
