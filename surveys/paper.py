"""A survey as a person reads it on paper or in a preview: numbered questions, conditions in words.

Codes stay inside: a condition ``{"question": "agree", "op": "equals", "value": "no"}``
reads "第1题选“不同意”时填写".
"""
from __future__ import annotations

from typing import Any

from surveys import questions

CHOICE_WORDS = {"equals": "选", "in": "选", "contains": "选了", "not_equals": "未选", "not_in": "未选",
                "not_contains": "未选"}
NUMBER_WORDS = {"gt": "大于", "gte": "不小于", "lt": "小于", "lte": "不大于"}
FALLBACK = "根据前面的回答填写，不适用可不填"


def numbered(d: dict) -> list[dict[str, Any]]:
    """Every question with its number (None for section notes) and its condition in words."""
    numbers: dict[str, int] = {}
    rows = []
    for q in d.get("questions") or []:
        number = None
        if questions.get(q["type"]).answerable:
            number = numbers[q["code"]] = len(numbers) + 1
        rows.append({"number": number, "q": q, "when": condition_words(q.get("show_if"), numbers, d)})
    return rows


def condition_words(condition: dict | None, numbers: dict[str, int], d: dict) -> str:
    """"第1题选“不同意”时填写", or a general hint when the condition is too intricate to say."""
    if not condition:
        return ""
    joiner = "或" if "any" in condition else "且"
    items = condition.get("any") or condition.get("all") or [condition]
    parts = [_one(c, numbers, d) for c in items]
    if not parts or None in parts:
        return FALLBACK
    return joiner.join(parts) + "时填写"


def _one(c: dict, numbers: dict[str, int], d: dict) -> str | None:
    if "all" in c or "any" in c:
        return None
    ref = next((q for q in d.get("questions") or [] if q.get("code") == c.get("question")), None)
    op = c.get("op")
    if ref is None or c.get("question") not in numbers:
        return None
    where = f"第{numbers[ref['code']]}题"
    if op in ("answered", "not_answered"):
        return where + ("已填写" if op == "answered" else "未填写")
    if op in NUMBER_WORDS:
        return f"{where}{NUMBER_WORDS[op]}{c.get('value')}"
    if op not in CHOICE_WORDS:
        return None
    values = c.get("value") if isinstance(c.get("value"), list) else [c.get("value")]
    labels = {o["code"]: o["label"] for o in questions.options_of(ref)} if questions.get(ref["type"]).has_options \
        else {}
    return where + CHOICE_WORDS[op] + "、".join(f"“{labels.get(v, v)}”" for v in values)


def condition_choices(d: dict, before: str | None = None) -> list[tuple[dict, str]]:
    """The conditions an editor offers without codes: (condition, words) on questions before ``before``."""
    rows = numbered(d)
    numbers = {r["q"]["code"]: r["number"] for r in rows if r["number"]}
    choices = []
    for row in rows:
        q = row["q"]
        if q["code"] == before:
            break
        if not row["number"]:
            continue
        conditions = [{"question": q["code"], "op": "answered"}]
        ops = questions.get(q["type"]).condition_ops
        for option in questions.options_of(q) if ops else []:
            conditions += [{"question": q["code"], "op": op, "value": option["code"]} for op in ops]
        choices += [({"all": [c]}, condition_words(c, numbers, d).removesuffix("时填写")) for c in conditions]
    return choices
