"""Numbers and dates, with optional bounds."""
from __future__ import annotations

from datetime import date
from statistics import mean
from typing import Any

from surveys.questions.base import QuestionType, register


@register
class Number(QuestionType):
    name, label = "number", "数字"
    chat_hint = "请回复一个数字"
    form_value = "number"
    editor_fields = ("range",)

    def clean(self, q: dict, raw: Any) -> int | float:
        text = str(raw).strip().replace("，", "").replace(",", "")
        try:
            value = int(text) if q.get("integer", True) else float(text)
        except ValueError:
            raise self.fail(q, "请回复一个数字" if q.get("integer", True) is False else "请回复一个整数") from None
        low, high = q.get("min"), q.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            raise self.fail(q, f"请填写 {low if low is not None else '任意'} 到 {high if high is not None else '任意'} 之间的数")
        return value

    def tally(self, q: dict, values: list[Any]) -> dict:
        if not values:
            return {"answered": 0}
        return {"answered": len(values), "min": min(values), "max": max(values), "mean": round(mean(values), 2)}


@register
class Date(QuestionType):
    name, label = "date", "日期"
    chat_hint = "请回复日期，如 2026-05-01"

    def clean(self, q: dict, raw: Any) -> str:
        text = str(raw).strip().replace("/", "-").replace(".", "-")
        try:
            value = date.fromisoformat(text)
        except ValueError:
            raise self.fail(q, "请按“2026-05-01”的格式填写日期") from None
        if q.get("min") and value < date.fromisoformat(q["min"]) or q.get("max") and value > date.fromisoformat(q["max"]):
            raise self.fail(q, f"日期需在 {q.get('min', '')} 到 {q.get('max', '')} 之间")
        return value.isoformat()

    def tally(self, q: dict, values: list[Any]) -> dict:
        return {"answered": len(values), "min": min(values, default=None), "max": max(values, default=None)}
