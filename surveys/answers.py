"""Walking a definition with a household's answers: what is shown, what is valid."""
from __future__ import annotations

from typing import Any

from surveys import conditions, questions
from surveys.errors import AnswerError


class AnswersInvalid(AnswerError):
    """Several answers are invalid; ``errors`` maps question code → message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("；".join(errors.values()), next(iter(errors), ""))
        self.errors = errors


def is_visible(q: dict, answers: dict[str, Any]) -> bool:
    return conditions.evaluate(q.get("show_if"), answers)


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def clean_one(q: dict, raw: Any) -> Any:
    """The stored value of one answer; None for an empty optional answer."""
    if is_empty(raw):
        if q.get("required"):
            raise AnswerError((q.get("validation") or {}).get("required_message") or "此题必答", q["code"])
        return None
    return questions.get(q["type"]).clean(q, raw)


def clean_all(d: dict, raw: dict[str, Any]) -> dict[str, Any]:
    """Validated answers of the visible questions (hidden ones are dropped)."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for q in d["questions"]:
        if not questions.get(q["type"]).answerable or not is_visible(q, answers):
            continue
        try:
            value = clean_one(q, raw.get(q["code"]))
        except AnswerError as exc:
            errors[q["code"]] = str(exc)
            continue
        if value is not None:
            answers[q["code"]] = value
    if errors:
        raise AnswersInvalid(errors)
    return answers


def next_question(d: dict, answers: dict[str, Any], after: str | None = None) -> dict | None:
    """The first visible question after ``after`` (or the first one)."""
    started = after is None
    for q in d["questions"]:
        if not started:
            started = q["code"] == after
            continue
        if is_visible(q, answers):
            return q
    return None


def summary_lines(d: dict, answers: dict[str, Any]) -> list[str]:
    """"题目：回答" lines for a confirmation."""
    lines = []
    for q in d["questions"]:
        if q["code"] in answers:
            value = questions.get(q["type"]).describe(q, answers[q["code"]])
            lines.append(f"{q['title'].rstrip('？?：: ')}：{value}")  # no “计划？：同意”
    return lines
