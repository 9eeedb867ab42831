"""Choice types: single, multiple, yes/no/abstain, 5-point satisfaction."""
from __future__ import annotations

from typing import Any, Callable

from surveys.questions.base import QuestionType, options_of, register

YES_NO_ABSTAIN = [{"code": "yes", "label": "同意"}, {"code": "no", "label": "不同意"},
                  {"code": "abstain", "label": "弃权"}]
SATISFACTION5 = [{"code": "very_satisfied", "label": "非常满意"}, {"code": "satisfied", "label": "满意"},
                 {"code": "neutral", "label": "一般"}, {"code": "dissatisfied", "label": "不满意"},
                 {"code": "very_dissatisfied", "label": "非常不满意"}]
DEFAULT_SATISFIED = ["very_satisfied", "satisfied"]


@register
class Single(QuestionType):
    name, label = "single", "单选"
    has_options = gate_capable = True
    chat_hint = "请回复选项编号"
    condition_ops = ("equals", "not_equals")
    editor_fields = ("options",)

    def clean(self, q: dict, raw: Any) -> str:
        if isinstance(raw, list):
            raw = raw[0] if len(raw) == 1 else ""
        code = self.option_code(q, raw) if raw not in (None, "") else None
        if code is None:
            raise self.fail(q, f"请从 1 到 {len(options_of(q))} 中选一个编号")
        return code

    def parse_chat(self, q: dict, text: str) -> Any:
        return text.strip()

    def describe(self, q: dict, value: Any) -> str:
        return self.labels(q).get(value, str(value))

    def tally(self, q: dict, values: list[Any]) -> dict:
        return self.count_options(q, values)


@register
class YesNoAbstain(Single):
    name, label = "yes_no_abstain", "同意/不同意/弃权"

    def default_options(self) -> list[dict]:
        return [dict(o) for o in YES_NO_ABSTAIN]

    def gate_options(self, q: dict) -> list[str]:
        return ["yes"]


@register
class Satisfaction5(Single):
    name, label = "satisfaction5", "五级满意度"

    def default_options(self) -> list[dict]:
        return [dict(o) for o in SATISFACTION5]

    def gate_options(self, q: dict) -> list[str]:
        return list(q.get("satisfied", DEFAULT_SATISFIED))

    def check(self, q: dict) -> list[str]:
        codes = {o["code"] for o in options_of(q)}
        bad = [c for c in q.get("satisfied", DEFAULT_SATISFIED) if c not in codes]
        return super().check(q) + ([f"题目 {q['code']} 的满意档位 {bad} 不在选项中"] if bad else [])

    def tally(self, q: dict, values: list[Any]) -> dict:
        result = self.count_options(q, values)
        satisfied = set(q.get("satisfied", DEFAULT_SATISFIED))
        yes = sum(1 for v in values if v in satisfied)
        result["satisfied"] = yes
        result["satisfied_rate"] = round(yes / len(values), 4) if values else 0.0
        return result


@register
class Multiple(QuestionType):
    name, label = "multiple", "多选"
    has_options = True
    chat_hint = "可多选，请回复编号，用空格隔开，如“1 3”"
    condition_ops = ("contains",)
    editor_fields = ("options", "choices")
    form_value = "many"

    def read_form(self, q: dict, form: Any, files: Any, store: Callable[[Any], str]) -> list[str]:
        return form.getlist(q["code"])

    def check(self, q: dict) -> list[str]:
        problems = super().check(q)
        low, high = q.get("min_choices", 0), q.get("max_choices", len(options_of(q)))
        if not (0 <= low <= high <= len(options_of(q))):
            problems.append(f"题目 {q['code']} 的选择个数范围不对")
        return problems

    def clean(self, q: dict, raw: Any) -> list[str]:
        tokens = raw if isinstance(raw, list) else self.split_tokens(q, str(raw or ""))
        codes = [self.option_code(q, t) for t in tokens]
        if None in codes or len(set(codes)) != len(codes):
            raise self.fail(q, f"请回复 1 到 {len(options_of(q))} 之间不重复的编号")
        low, high = q.get("min_choices", 1 if q.get("required") else 0), q.get("max_choices", len(options_of(q)))
        if not low <= len(codes) <= high:
            raise self.fail(q, f"请选择 {low} 到 {high} 项")
        order = [o["code"] for o in options_of(q)]
        return sorted(codes, key=order.index)

    def parse_chat(self, q: dict, text: str) -> Any:
        return self.split_tokens(q, text)

    def describe(self, q: dict, value: Any) -> str:
        labels = self.labels(q)
        return "、".join(labels.get(v, v) for v in value or [])

    def tally(self, q: dict, values: list[Any]) -> dict:
        return self.count_options(q, values)
