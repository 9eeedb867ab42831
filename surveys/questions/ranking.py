"""Ranking (点菜式): pick items from a menu, in order of priority."""
from __future__ import annotations

from typing import Any, Callable

from surveys.errors import AnswerError
from surveys.questions.base import options_of, register
from surveys.questions.choice import Multiple


@register
class Ranking(Multiple):
    """Options may carry a ``group`` (基础类/完善类/提升类); the answer is ordered."""

    name, label = "ranking", "排序（点菜式）"
    chat_hint = "请按重要程度依次回复编号，用空格隔开，如“3 1 5”"
    form_value = "ranked"

    def read_form(self, q: dict, form: Any, files: Any, store: Callable[[Any], str]) -> list[str]:
        """Items in the order of the numbers the resident gave them (1 = most needed)."""
        places = []
        for opt in options_of(q):
            value = (form.get(f"{q['code']}.{opt['code']}") or "").strip()
            if value:
                if not (value.isascii() and value.isdigit() and len(value) <= 6):
                    raise AnswerError("名次请填数字", q["code"])
                places.append((int(value), opt["code"]))
        if len({p for p, _ in places}) != len(places):
            raise AnswerError("名次不能重复", q["code"])
        return [code for _, code in sorted(places)]

    def clean(self, q: dict, raw: Any) -> list[str]:
        tokens = raw if isinstance(raw, list) else self.split_tokens(q, str(raw or ""))
        codes = [self.option_code(q, t) for t in tokens if str(t).strip()]
        if None in codes or len(set(codes)) != len(codes):
            raise self.fail(q, f"请回复 1 到 {len(options_of(q))} 之间不重复的编号")
        low = q.get("min_choices", 1 if q.get("required") else 0)
        high = q.get("max_choices", len(options_of(q)))
        if not low <= len(codes) <= high:
            raise self.fail(q, f"请按顺序选择 {low} 到 {high} 项")
        return codes  # order is the answer

    def describe(self, q: dict, value: Any) -> str:
        labels = self.labels(q)
        return " > ".join(labels.get(v, v) for v in value or [])

    def tally(self, q: dict, values: list[Any]) -> dict:
        """Times chosen and a Borda score (first place earns the most points)."""
        top = q.get("max_choices", len(options_of(q)))
        chosen: dict[str, int] = {}
        score: dict[str, int] = {}
        for value in values:
            for position, code in enumerate(value):
                chosen[code] = chosen.get(code, 0) + 1
                score[code] = score.get(code, 0) + max(top - position, 1)
        rows = [{"code": o["code"], "label": o["label"], "group": o.get("group", ""),
                 "count": chosen.get(o["code"], 0), "score": score.get(o["code"], 0),
                 "rate": round(chosen.get(o["code"], 0) / len(values), 4) if values else 0.0}
                for o in options_of(q)]
        rows.sort(key=lambda r: (-r["score"], -r["count"]))
        return {"answered": len(values), "options": rows}
