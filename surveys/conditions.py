"""``show_if``: when a question is shown, from earlier answers.  Data, never code.

    {"all": [{"question": "agree", "op": "equals", "value": "no"}]}
    {"any": [{"question": "age", "op": "gt", "value": 60}, {"question": "floor", "op": "in", "value": [5, 6]}]}

A bare condition (``{"question": ..., "op": ...}``) counts as ``all`` of one.
Groups nest: an item may itself be ``{"all": [...]}`` or ``{"any": [...]}``.
"""
from __future__ import annotations

from typing import Any, Callable


def _answered(v: Any, _x: Any) -> bool:
    return v not in (None, "", [], {})


def _contains(v: Any, x: Any) -> bool:
    return isinstance(v, (list, dict)) and x in v


def _in(v: Any, x: Any) -> bool:
    values = x if isinstance(x, list) else [x]
    return any(item in values for item in v) if isinstance(v, list) else v in values


def _num(op: Callable[[float, float], bool]) -> Callable[[Any, Any], bool]:
    def compare(v: Any, x: Any) -> bool:
        try:
            return op(float(v), float(x))
        except (TypeError, ValueError):
            return False
    return compare


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "answered": _answered,
    "not_answered": lambda v, x: not _answered(v, x),
    "equals": lambda v, x: v == x,
    "not_equals": lambda v, x: v != x,
    "in": _in,
    "not_in": lambda v, x: not _in(v, x),
    "contains": _contains,
    "not_contains": lambda v, x: not _contains(v, x),
    "gt": _num(lambda a, b: a > b),
    "gte": _num(lambda a, b: a >= b),
    "lt": _num(lambda a, b: a < b),
    "lte": _num(lambda a, b: a <= b),
}


def evaluate(condition: dict | None, answers: dict[str, Any]) -> bool:
    """True when ``condition`` holds for ``answers`` (no condition: always)."""
    if not condition:
        return True
    if "all" in condition:
        return all(evaluate(c, answers) for c in condition["all"])
    if "any" in condition:
        return any(evaluate(c, answers) for c in condition["any"])
    return OPERATORS[condition["op"]](answers.get(condition["question"]), condition.get("value"))


def referenced(condition: dict | None) -> list[tuple[str, str]]:
    """(question code, operator) pairs a condition uses, for checking a definition."""
    if not condition:
        return []
    if "all" in condition or "any" in condition:
        items = condition.get("all", condition.get("any")) or []
        return [pair for c in items for pair in referenced(c)]
    return [(condition.get("question", ""), condition.get("op", ""))]
