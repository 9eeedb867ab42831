""""我上回反映的墙皮那个事咋样了": a resident asking after their own complaint, in words.

Two things together make the question: it points at something the resident
reported (反映, 投诉, 报修, 上回, 之前, 那个事 …) and asks how it stands (咋样了,
进展, 修了没, 有结果吗 …).  "改造进度怎么样" points at nothing reported, and is left to
the project's and the FAQ's handlers.  The complaint meant is found by the words
left over (墙皮) in the descriptions and category names of the resident's complaints;
with none found, their recent complaints are listed when the words surely speak of a
report (反映, 投诉 …); otherwise (之前说的补贴啥时候发) the FAQ answers.
"""
from __future__ import annotations

import re
import unicodedata

from sqlmodel import select

from handlers import registry, replies
from handlers.complaints import categories, intake
from handlers.complaints.env import from_context
from handlers.complaints.labels import RESIDENT_STATE_LABELS
from handlers.context import Context
from handlers.inbound import Inbound
from models import Complaint

REPORTED = re.compile(r"反映|反馈|投诉|报修|上报|举报|报的|报了|提的|提了|说的|说过|拍的|随手拍|上回|上次|前些天|前几天|之前|"
                      r"那个事|那件事|那事|这个事|的事(?:情|儿)?")
ASKING = re.compile(r"咋样|怎么样|如何了|进展|进度|结果|回音|回复|消息|动静|处理了没|修了没|修好了没|管了没|有人管|"
                    r"办了没|弄了没|解决了没|到哪|什么时候(?:修|处理|弄|解决)|啥时候|多久|还没(?:修|处理|弄|人)|怎么还没")
STRONG = re.compile(r"反映|反馈|投诉|报修|上报|举报|随手拍|拍的")  # surely about a complaint, even with no topic found
FILLER = re.compile(r"我|上回|上次|之前|前几天|前些天|反映|反馈|投诉|报修|上报|举报|报的|报了|提的|提了|说的|说过|拍的|随手拍|"
                    r"那个|这个|那件|那|的|事情|事儿|事|问题|咋样|怎么样|如何|进展|进度|结果|了|呢|吗|啊|呀|吧|"
                    r"现在|到底|处理|修|没|有|还|怎么|什么时候|啥时候|啥|多久|一下|请问|你们|给|问")
MAX_CHARS = 60
LISTED = 5


def is_progress_question(text: str) -> bool:
    plain = unicodedata.normalize("NFKC", text or "")
    return len(plain) <= MAX_CHARS and bool(REPORTED.search(plain)) and bool(ASKING.search(plain))


def topic_of(text: str) -> str:
    """What is left once the words of asking and pointing are gone: 墙皮, 楼道灯."""
    plain = re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text or ""))
    return FILLER.sub("", plain)


def about(complaint: Complaint, topic: str, settings: dict) -> int:
    """How many of the topic's character pairs (or characters, when short) the complaint shows."""
    text = (complaint.description or "") + categories.name_of(settings, complaint.category)
    grams = {topic[i:i + 2] for i in range(len(topic) - 1)} or set(topic)
    return sum(1 for g in grams if g in text)


@registry.fallback(20)
def progress(inbound: Inbound, ctx: Context) -> replies.Reply | None:
    """Their complaints' progress, the one they mean first (or alone)."""
    if not is_progress_question(inbound.text or ""):
        return None
    rows = ctx.session.exec(select(Complaint).where(Complaint.resident_id == ctx.resident.id,
                                                    Complaint.state != "draft")
                            .order_by(Complaint.id.desc()).limit(50)).all()
    topic = topic_of(inbound.text)
    scored = [(about(c, topic, ctx.settings), c) for c in rows] if topic else []
    best = max((s for s, _ in scored), default=0)
    meant = [c for s, c in scored if s == best] if best else []
    if not rows or (not meant and not STRONG.search(inbound.text)):
        return None  # "之前说的补贴啥时候发": a question for the FAQ, not about a complaint
    env = from_context(ctx)
    items = [{"ticket": c.ticket, "category": categories.short_name(ctx.settings, c.category),
              "description": _snippet(c.description), "state": RESIDENT_STATE_LABELS.get(c.state, c.state),
              "rate": c.state == "resolved", "photos_pending": intake.pending_photos(c, session=ctx.session) > 0,
              "link": env.url("status", c, openid=ctx.openid)} for c in (meant or rows)[:LISTED]]
    return ctx.say("wechat/complaint_progress.txt", items=items, found=bool(meant), topic=topic)


def _snippet(text: str, size: int = 20) -> str:
    first = (text or "").split("\n", 1)[0].strip()
    return first if len(first) <= size else first[:size] + "…"
