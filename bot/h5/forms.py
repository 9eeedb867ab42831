"""Reading a survey form into raw answers keyed by question code (validation is the service's).

Each question type reads its own value (``QuestionType.read_form``); this module only walks
the questions and turns a form that makes no sense into a FormProblem.
"""
from __future__ import annotations

from typing import Any

from werkzeug.datastructures import FileStorage, MultiDict

from surveys import questions
from surveys.errors import AnswerError


class FormProblem(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def raw_answers(d: dict, form: MultiDict, files: MultiDict, store) -> dict[str, Any]:
    """Raw answers from the posted form, each read by its question type;
    ``store(upload) -> key`` takes a photo (bot.h5.uploads)."""
    raw: dict[str, Any] = {}
    for q in d["questions"]:
        kind = questions.get(q["type"])
        if not kind.answerable:
            continue
        try:
            raw[q["code"]] = kind.read_form(q, form, files, store)
        except AnswerError as exc:
            raise FormProblem(exc.code or q["code"], str(exc)) from None
        except FormProblem as exc:  # a photo the store refused: the question it belongs to
            raise FormProblem(exc.code or q["code"], str(exc)) from exc
    return raw
