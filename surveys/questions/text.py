"""Free text: short and long."""
from __future__ import annotations

from typing import Any

from surveys.questions.base import QuestionType, register


@register
class ShortText(QuestionType):
    name, label = "short_text", "短文本"
    chat_hint = "请直接回复文字"
    free_text = True
    default_max = 100

    def clean(self, q: dict, raw: Any) -> str:
        text = str(raw or "").strip()
        limit = q.get("max_length", self.default_max)
        if len(text) > limit:
            raise self.fail(q, f"请不要超过 {limit} 个字")
        if len(text) < q.get("min_length", 0):
            raise self.fail(q, f"请至少写 {q['min_length']} 个字")
        return text

    def tally(self, q: dict, values: list[Any]) -> dict:
        return {"answered": len(values), "text": True}


@register
class LongText(ShortText):
    name, label = "long_text", "长文本"
    default_max = 1000
