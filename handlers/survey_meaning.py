"""A survey answer in words ("看情况吧", "行啊", "不太满意") → the option it means.

Options and replies are both read through one small lexicon of general Chinese
stances (agree, disagree, abstain, it depends, not sure, indifferent, and the
five levels of satisfaction), longest phrase first so that 不同意 is not 同意.
A reply meaning what an option's label means picks it; a reply meaning something
close (看情况 for an option 不确定) is offered back for confirmation: "是" takes it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from surveys.questions import options_of

STANCES: dict[str, tuple[str, ...]] = {
    "depends": ("看情况", "视情况", "看具体情况", "具体情况具体", "分情况", "看条件", "到时候再说", "到时再说", "看看再说",
                "再说吧", "要看", "得看", "取决于", "具体看", "看时候", "看需要"),
    "unsure": ("不确定", "不一定", "说不好", "说不准", "不好说", "不清楚", "不知道", "没想好", "拿不准", "待定", "考虑考虑",
               "再想想", "想一想", "犹豫", "不太清楚", "不了解", "不晓得", "不好讲", "难说"),
    "indifferent": ("无所谓", "都行", "都可以", "随便", "都一样", "没所谓", "听大家的", "随大流", "怎样都行", "都好"),
    "abstain": ("弃权", "不投", "不表态", "不参与", "中立", "不发表意见", "不投票"),
    "no": ("不同意", "反对", "不赞成", "不支持", "不愿意", "不行", "不要", "不想", "不需要", "不用", "不可以", "拒绝",
           "不接受", "不愿", "不肯", "没必要", "不必"),
    "yes": ("同意", "赞成", "支持", "愿意", "可以", "行", "好的", "好啊", "要", "想", "需要", "没问题", "当然", "肯定",
            "接受", "中", "对"),
    "very_dissatisfied": ("非常不满意", "很不满意", "特别不满意", "太差", "很差", "极差", "糟糕", "差劲"),
    "dissatisfied": ("不满意", "不太满意", "不好", "差", "不怎么样"),
    "neutral": ("一般", "还行", "凑合", "马马虎虎", "过得去", "一般般", "还可以"),
    "very_satisfied": ("非常满意", "很满意", "特别满意", "太好了", "非常好", "特别好", "十分满意"),
    "satisfied": ("满意", "挺好", "不错", "很好", "比较满意"),
}
# How near one stance is to another (symmetric); anything else is 0.
NEAR = {frozenset(p): w for p, w in ((("depends", "unsure"), 0.6), (("unsure", "indifferent"), 0.4),
                                     (("depends", "indifferent"), 0.4), (("unsure", "abstain"), 0.4),
                                     (("indifferent", "abstain"), 0.4), (("satisfied", "very_satisfied"), 0.5),
                                     (("dissatisfied", "very_dissatisfied"), 0.5), (("neutral", "satisfied"), 0.3),
                                     (("neutral", "dissatisfied"), 0.3))}
SURE, ASK = 1.0, 0.3
AFFIRM = {"是", "是的", "对", "对的", "嗯", "嗯嗯", "确认", "没错", "就是", "好", "好的", "行", "可以", "yes", "y"}
NEGATED = {"yes": "no", "satisfied": "dissatisfied", "very_satisfied": "dissatisfied"}
_NEGATION = re.compile(r"(?:不|没|没有|不太|不怎么|没那么|并不)$")
_PHRASES = sorted(((p, s) for s, ps in STANCES.items() for p in ps), key=lambda item: -len(item[0]))
_NOISE = re.compile(r"[\s\W_]+")


@dataclass(frozen=True)
class Meaning:
    sure: str | None = None  # the option's code, taken
    ask: str | None = None  # the option's code, to confirm first


def stances(text: str) -> set[str]:
    """The stances ``text`` expresses: leftmost-longest phrases (不同意 is not 同意, 挺好的 not 好的),
    a positive one turned round by a negation just before it (不太愿意, 没那么满意)."""
    plain = _NOISE.sub("", unicodedata.normalize("NFKC", text or "").lower())
    found, i = set(), 0
    while i < len(plain):
        hit = next(((p, st) for p, st in _PHRASES if plain.startswith(p, i)), None)
        if hit is None:
            i += 1
            continue
        phrase, stance = hit
        negated = _NEGATION.search(plain[max(0, i - 3):i])
        found.add(NEGATED.get(stance, stance) if negated else stance)
        i += len(phrase)
    return found


def closeness(reply: set[str], option: set[str]) -> float:
    return max((1.0 if a == b else NEAR.get(frozenset((a, b)), 0.0) for a in reply for b in option), default=0.0)


def option_for(q: dict, text: str, pending: dict | None = None) -> Meaning:
    """The option ``text`` means for question ``q`` (``pending``: an option offered for confirmation)."""
    plain = _NOISE.sub("", unicodedata.normalize("NFKC", text or "").lower())
    if pending and pending.get("q") == q["code"] and plain in AFFIRM:
        return Meaning(sure=pending["code"])
    said = stances(text)
    if not said:
        return Meaning()
    scored = sorted(((closeness(said, stances(o["label"])), o["code"]) for o in options_of(q)), reverse=True)
    best, code = scored[0]
    tied = len(scored) > 1 and scored[1][0] == best
    if best >= SURE and not tied:
        return Meaning(sure=code)
    if best >= ASK and not tied:
        return Meaning(ask=code)
    return Meaning()
