"""Greetings, thanks and chit-chat: a kind word, not a policy text."""
from __future__ import annotations

import re
from functools import lru_cache

from handlers.faq.text import clean, data_lines

_LEFTOVER = set("你您们的了啊呀呢吗嘛吧哈哦啦呗嗯我俺咱还真太挺很是哟噢喔哇也都就又咋么这那儿嘞得咯哒噻撒呐嗦哈个伐呗嘅咩啵")
LEARNED = "chat"  # small talk recognised by the learned model (``decide.CHAT``): its kind is not known
ADDRESS = "address"  # words of address: allowed around small talk, not small talk themselves
# WeChat sends its stickers inside text as [强], [抱拳], [微笑] (or /::) in old clients);
# phones add Unicode emoji.  A message of nothing else is a smile or a thumbs-up.
_EMOJI = re.compile(r"\[[\u4e00-\u9fff]{1,4}\]|/:[^\s\u4e00-\u9fff]{1,6}|[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]")


@lru_cache(maxsize=1)
def _phrases() -> tuple[re.Pattern, dict[str, str]]:
    kinds: dict[str, str] = {}
    for line in data_lines("smalltalk.txt"):
        kind, *words = [w.strip() for w in line.split("|")]
        for word in words:
            kinds.setdefault(word.lower(), kind)
    words = sorted(kinds, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words)), kinds


def detect(text: str) -> str | None:
    """The kind of small talk (greeting, thanks, bye, wishes, identity, laugh, grumble) or None.

    Only a message made of nothing but small-talk phrases (and stickers) counts:
    "你好，加装电梯怎么申请" is a question with a greeting in front, and goes to the
    matcher.  A message of stickers or emoji alone ([强][强], 👍) is ``laugh``.
    """
    pattern, kinds = _phrases()
    plain = _EMOJI.sub(" ", text or "")
    compact = clean(plain).replace(" ", "")
    if not compact:
        return "laugh" if plain != (text or "") else None
    found = pattern.findall(compact)
    if not found:
        return None
    leftover = pattern.sub("", compact)
    if any(ch not in _LEFTOVER for ch in leftover):
        return None
    said = [phrase for phrase in found if kinds[phrase] != ADDRESS]
    return kinds[max(said, key=len)] if said else None
