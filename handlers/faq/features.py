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
SKIP_FACTOR = 0.3  # a bigram over one function character (电梯的钱 → 梯钱)
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
            if i + 2 < len(tokens) and tokens[i + 1] in stop_chars and not {token, tokens[i + 2]} & stop_chars:
                # 电梯的钱 also meets 电梯钱: a bigram over one function character, at a discount
                skip = "b:" + token + tokens[i + 2]
                out[skip] = max(out.get(skip, 0.0), TYPE_WEIGHTS["b"] * SKIP_FACTOR)
        for word, stop in _words(run, stop_words):
            weight = TYPE_WEIGHTS["w"] * (STOP_FACTOR if stop else 1.0)
            out["w:" + word] = max(out.get("w:" + word, 0.0), weight)
    return out


def _words(run: str, stop_words: frozenset[str]):
    """jieba words (no HMM guesses such as 楼想 or 费在) and, as its search mode does, the
    dictionary words inside long ones; the parts of a function word (不要 in 要不要) are function words."""
    tok = tokenizer()
    for word in tok.lcut(run, HMM=False):
        if len(word) < 2:
            continue
        stop = word in stop_words
        for size in (2, 3):
            if len(word) > size:
                for i in range(len(word) - size + 1):
                    part = word[i:i + size]
                    if tok.FREQ.get(part):
                        yield part, stop or part in stop_words
        yield word, stop


def _pair_factor(first_stop: bool, second_stop: bool) -> float:
    if first_stop and second_stop:
        return STOP_FACTOR
    return HALF_STOP_FACTOR if first_stop or second_stop else 1.0


WORD_SHARE, CHAR_SHARE = 1.0, 0.5  # how much a content word or character counts in coverage


@lru_cache(maxsize=4096)
def content_words(normalized: str) -> tuple[tuple[str, str, float], ...]:
    """(word, its feature key, share) for the meaningful words of a text: jieba words
    and single characters that are not function words (see ``scope`` coverage)."""
    stop_chars, stop_words = stopwords()
    out = []
    for run in normalized.split():
        for word in tokenizer().lcut(run, HMM=False):
            if len(word) >= 2 and word not in stop_words:
                out.append((word, "w:" + word, WORD_SHARE))
            elif len(word) == 1 and word not in stop_chars and _TOKEN.fullmatch(word):
                out.append((word, "c:" + word, CHAR_SHARE))
    return tuple(out)
