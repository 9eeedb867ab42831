"""Chinese numerals in what residents type: 三号楼, 一单元一零二, 十二栋, 第二个, 五分.

Two ways of writing a number meet in chat: read digit by digit (一零二 → 102,
as house numbers are said) and positional (十二 → 12, 二十三 → 23, 一百零二 → 102).
A run mixing both kinds is read positionally.
"""
from __future__ import annotations

import re
import unicodedata

DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "幺": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
          "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_RUN = re.compile(f"[{''.join(DIGITS)}{''.join(UNITS)}]+")


def to_int(run: str) -> int | None:
    """The value of a run of Chinese numerals, or None when it is not one."""
    if not run or any(ch not in DIGITS and ch not in UNITS for ch in run):
        return None
    if all(ch in DIGITS for ch in run):
        return int("".join(str(DIGITS[ch]) for ch in run))
    total, pending = 0, None
    for ch in run:
        if ch in DIGITS:
            pending = DIGITS[ch]
            continue
        total += (1 if pending is None else pending) * UNITS[ch]  # 十二: the 十 alone means 10
        pending = None
    return total + (pending or 0)


def arabic(text: str) -> str:
    """``text`` with every run of Chinese numerals written in digits (width folded too):
    一单元一零二 → 1单元102, 三号楼 → 3号楼."""
    folded = unicodedata.normalize("NFKC", text or "")
    return _RUN.sub(lambda m: str(to_int(m.group(0))), folded)
