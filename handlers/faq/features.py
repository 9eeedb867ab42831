"""What a normalised text is made of, for matching: weighted sparse features.

- ``w:`` jieba words of two or more characters (domain words added to its dictionary);
- ``b:`` character bigrams and ``c:`` single characters, robust to segmentation errors;
- ``p:`` pinyin syllable pairs, so that homophone typos (加状电梯, 维修资今) still meet.
Features never cross a space (punctuation was turned into spaces).
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba
from pypinyin import lazy_pinyin

from handlers.faq import text as text_mod

TYPE_WEIGHTS = {"w": 1.0, "b": 1.0, "c": 0.35, "p": 0.6}
STOP_FACTOR = 0.15  # a feature made of function characters only
HALF_STOP_FACTOR = 0.5  # a bigram with one function character
EXTRA_WORDS = ("三个百分之八十", "一户一票", "基础类", "完善类", "提升类", "适老化", "违建", "雨污分流",
               "飞线充电", "意愿征询", "方案征集", "满意度", "物业费", "维修资金", "加装电梯", "房产证")
_TOKEN = re.compile(r"[a-z0-9%]+|\w")


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    """Our own jieba dictionary (others may use jieba's global one differently)."""
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    for group in text_mod.synonym_groups():
        tok.add_word(group[0].lower(), freq=50000)
    for word in EXTRA_WORDS:
        tok.add_word(word, freq=50000)
    return tok


@lru_cache(maxsize=1)
def stopwords() -> tuple[frozenset[str], frozenset[str]]:
    """(function characters, function words) from data/stopwords.txt."""
    chars, words = set(), set()
    for line in text_mod.data_lines("stopwords.txt"):
        if line.startswith("chars:"):
            chars.update(line[len("chars:"):].strip())
        else:
            words.add(line)
    return frozenset(chars), frozenset(words)


@lru_cache(maxsize=20000)
def pinyin_of(char: str) -> str:
    if not ("\u4e00" <= char <= "\u9fff"):
        return char
    return lazy_pinyin(char)[0]


def features(normalized: str) -> dict[str, float]:
    """Feature → type weight for a text already passed through ``text.normalize``."""
    stop_chars, stop_words = stopwords()
    out: dict[str, float] = {}
    for run in normalized.split():
        tokens = _TOKEN.findall(run)
        for i, token in enumerate(tokens):
            out["c:" + token] = TYPE_WEIGHTS["c"] * (STOP_FACTOR if token in stop_chars else 1.0)
            if i + 1 < len(tokens):
                nxt = tokens[i + 1]
                factor = _pair_factor(token in stop_chars, nxt in stop_chars)
                out["b:" + token + nxt] = TYPE_WEIGHTS["b"] * factor
                out["p:" + pinyin_of(token) + "_" + pinyin_of(nxt)] = TYPE_WEIGHTS["p"] * factor
        for word in tokenizer().lcut_for_search(run):
            if len(word) >= 2:
                out["w:" + word] = TYPE_WEIGHTS["w"] * (STOP_FACTOR if word in stop_words else 1.0)
    return out


def _pair_factor(first_stop: bool, second_stop: bool) -> float:
    if first_stop and second_stop:
        return STOP_FACTOR
    return HALF_STOP_FACTOR if first_stop or second_stop else 1.0
