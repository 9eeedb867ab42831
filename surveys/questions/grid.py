"""Grid: one scale (e.g. satisfaction) per row (item)."""
from __future__ import annotations

from collections import Counter
from typing import Any, Callable

from surveys.questions.base import QuestionType, options_of, register


@register
class Grid(QuestionType):
    """``rows`` are the items, ``options`` the scale; the answer maps row code → option code."""

    name, label = "grid", "矩阵（逐项评价）"
    has_options = True
    chat_hint = "请按行依次回复编号，用空格隔开，如“1 2 1”"
    form_value = "grid"
    editor_fields = ("options", "rows")

    def read_form(self, q: dict, form: Any, files: Any, store: Callable[[Any], str]) -> dict[str, str]:
        """Row code → the option ticked on that row (``<question>.<row>`` radios)."""
        picked = {r["code"]: form.get(f"{q['code']}.{r['code']}") or "" for r in q["rows"]}
        return {row: option for row, option in picked.items() if option}

    def hint_for(self, q: dict) -> str:
        """The example has one value per row: “1 2 1 2 1” for five rows."""
        example = " ".join("1" if n % 2 == 0 else "2" for n in range(len(q.get("rows") or []) or 1))
        return f"请按行依次回复编号，用空格隔开，如“{example}”"

    def example(self, code: str) -> dict:
        return {**super().example(code), "rows": [{"code": "r1", "label": "道路"}, {"code": "r2", "label": "绿化"}]}

    def check(self, q: dict) -> list[str]:
        problems = super().check(q)
        rows = q.get("rows") or []
        codes = [r.get("code") for r in rows]
        if not rows or None in codes or len(set(codes)) != len(codes):
            problems.append(f"题目 {q['code']} 的行需要不重复的 code")
        return problems

    def clean(self, q: dict, raw: Any) -> dict[str, str]:
        rows = q["rows"]
        if isinstance(raw, dict):
            picked = {r["code"]: self.option_code(q, raw.get(r["code"], "")) for r in rows if raw.get(r["code"])}
        else:
            tokens = raw if isinstance(raw, list) else self.split_tokens(q, str(raw or ""))
            if len(tokens) != len(rows):
                raise self.fail(q, f"请为 {len(rows)} 项各回复一个编号")
            picked = {r["code"]: self.option_code(q, t) for r, t in zip(rows, tokens)}
        if None in picked.values():
            raise self.fail(q, f"每项请从 1 到 {len(options_of(q))} 中选一个编号")
        if q.get("required") and len(picked) != len(rows):
            raise self.fail(q, "每一项都需要评价")
        return picked

    def parse_chat(self, q: dict, text: str) -> Any:
        return self.split_tokens(q, text)

    def describe(self, q: dict, value: Any) -> str:
        labels = self.labels(q)
        return "；".join(f"{r['label']}：{labels.get(value.get(r['code']), '-')}" for r in q["rows"] if value)

    def tally(self, q: dict, values: list[Any]) -> dict:
        satisfied = set(q.get("satisfied", []))
        rows = []
        for row in q["rows"]:
            counts = Counter(v.get(row["code"]) for v in values if v.get(row["code"]))
            answered = sum(counts.values())
            entry = {"code": row["code"], "label": row["label"], "answered": answered,
                     "options": [{"code": o["code"], "label": o["label"], "count": counts.get(o["code"], 0)}
                                 for o in options_of(q)]}
            if satisfied:
                yes = sum(n for code, n in counts.items() if code in satisfied)
                entry["satisfied_rate"] = round(yes / answered, 4) if answered else 0.0
            rows.append(entry)
        return {"answered": len(values), "rows": rows}
