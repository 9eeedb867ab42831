"""A rating said in words (修好了，挺好的 · 还是漏 · 修了一半) instead of "1 5".

Small lexicons of general Chinese, not of one complaint: whether the problem is
fixed (a repair verb with 好/完, 解决, "不再漏/堵/坏", or its negation: 没修好,
还是漏, 又坏了), how the resident feels (满意, 挺好, 一般, 太差), and an explicit
score (5分, 五星).  A question (修好了吗？) is not a rating.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from handlers.cn_numbers import arabic

MAX_CHARS = 40
_QUESTION = re.compile(r"[?？]|吗|么$|了没(?:有)?$|什么|怎么|咋|啥|多少|几时|是否|能不能|会不会|有没有|哪|谁")
_FIX = r"(?:修|弄|搞|整|处理|换|装|补|通|清|收拾|解决|维修|更换|疏通)"
NOT_SOLVED = re.compile(
    r"(?:没|没有|还没|未|不)(?:有)?(?:人)?(?:来)?" + _FIX + r"|没(?:解决|好|用|变化|动静|人管|人来)|还(?:是|在)?(?:坏|漏|堵|不(?!错)|没|那样|老样子)"
    r"|又(?:坏|漏|堵|不)|老样子|跟(?:以前|原来)一样|照旧|依旧|更(?:糟|差|严重)|白(?:修|弄)")
PARTLY = re.compile(r"一半|部分|一点|还有(?:点|些|的)|有的|基本|差不多|凑合|没全|不完全|不彻底|好点|好些")
SOLVED = re.compile(_FIX + r"(?:了)?(?:好|完|妥)|解决了|搞定|不(?:再)?(?:漏|堵|坏|响|臭|积水)了|(?:亮|通|正常|干净|好|可以)了|没问题了")
SCORES = [(5, re.compile(r"非常满意|很满意|特别满意|太好了|非常好|特别好|真好")),
          (1, re.compile(r"非常不满意|很不满意|太差|很差|极差|糟糕|垃圾")),
          (2, re.compile(r"不满意|不太满意|不好|差劲|不行")),
          (3, re.compile(r"一般|还行|凑合|马马虎虎|过得去")),
          (4, re.compile(r"满意|挺好|很好|不错"))]
_EXPLICIT = re.compile(r"([1-5])\s*(?:分|星|颗星)")


@dataclass(frozen=True)
class Rating:
    result: str  # solved | partly | not_solved
    score: int | None


def parse(text: str) -> Rating | None:
    """The rating ``text`` expresses, or None when it is not one (a question, something else)."""
    plain = unicodedata.normalize("NFKC", text or "").strip()
    if not plain or len(plain) > MAX_CHARS or _QUESTION.search(plain):
        return None
    score = _score(plain)
    if NOT_SOLVED.search(plain):
        return Rating("not_solved", score)
    if PARTLY.search(plain):
        return Rating("partly", score)
    if SOLVED.search(plain):
        return Rating("solved", score)
    if score is not None:  # only a feeling: satisfied means solved, unhappy means not
        return Rating("solved" if score >= 4 else "partly" if score == 3 else "not_solved", score)
    return None


def _score(text: str) -> int | None:
    explicit = _EXPLICIT.search(arabic(text))
    if explicit:
        return int(explicit.group(1))
    return next((score for score, words in SCORES if words.search(text)), None)
