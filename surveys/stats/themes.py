"""Free-text themes: jieba keywords and representative comments."""
from __future__ import annotations

from functools import lru_cache

from surveys import questions

# Words residents use in every comment; they say nothing about a theme.
STOP = {"希望", "建议", "我们", "小区", "没有", "一下", "可以", "问题", "现在", "一些", "这个", "就是", "还是", "觉得",
        "经常", "改造", "一起", "很久", "一点", "太少", "不够", "担心", "影响", "增加"}


@lru_cache(maxsize=1)
def _analyse():
    import jieba
    import jieba.analyse
    jieba.setLogLevel(60)
    return jieba.analyse


def texts_of(d: dict, answer_sets: list[dict]) -> dict[str, list[str]]:
    """Non-empty free-text answers by question code."""
    codes = [q["code"] for q in d["questions"] if questions.get(q["type"]).free_text]
    return {c: [a[c] for a in answer_sets if isinstance(a.get(c), str) and a[c].strip()] for c in codes}


def themes(texts: list[str], top: int = 10, examples: int = 2) -> list[dict]:
    """Keywords by TF-IDF weight, how many comments mention each, and a few of those comments."""
    if not texts:
        return []
    tags = _analyse().extract_tags("\n".join(texts), topK=top + len(STOP), withWeight=True)
    result, seen = [], []
    for word, weight in tags:
        if word in STOP or len(word) < 2:
            continue
        hits = [t for t in texts if word in t]
        found = frozenset(hits)
        if not hits or found in seen:  # "停车位" and "停不下" in the same comments: one theme
            continue
        seen.append(found)
        distinct = sorted(found, key=lambda t: (abs(len(t) - 30), -hits.count(t)))  # a sentence, not a word
        result.append({"keyword": word, "weight": round(weight, 4), "comments": len(hits),
                       "examples": distinct[:examples]})
        if len(result) == top:
            break
    result.sort(key=lambda r: -r["comments"])
    return result


def question_themes(d: dict, answer_sets: list[dict]) -> list[dict]:
    by_code = texts_of(d, answer_sets)
    return [{"code": q["code"], "title": q["title"], "answered": len(by_code[q["code"]]),
             "themes": themes(by_code[q["code"]])}
            for q in d["questions"] if q["code"] in by_code and questions.get(q["type"]).answerable]
