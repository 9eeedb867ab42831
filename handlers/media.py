"""Messages that no feature has claimed yet get a polite, specific answer."""
from __future__ import annotations

from handlers import registry, replies
from handlers.context import Context
from handlers.inbound import Inbound


@registry.on("voice")
def voice_without_words(inbound: Inbound, ctx: Context) -> replies.Reply | None:
    # With Recognition text the fallbacks (FAQ) take it; without, we cannot hear it.
    if inbound.text:
        return None
    return ctx.say("wechat/voice_unrecognized.txt")


@registry.on("location", "link", "video")  # shortvideo is parsed as video
def acknowledged(inbound: Inbound, ctx: Context) -> replies.Reply:
    return ctx.say("wechat/capabilities.txt", resident=ctx.resident, kind=inbound.kind)


@registry.on("event.view", "event.location", "event.templatesendjobfinish",
             "event.subscribe_msg_popup_event", "event.subscribe_msg_sent_event",
             "event.view_miniprogram", "event.masssendjobfinish")
def silent(inbound: Inbound, ctx: Context) -> replies.Reply:
    return replies.SUCCESS
