"""Reading a survey form into raw answers keyed by question code (validation is the service's).

Each question type reads its own value (``QuestionType.read_form``); this module only walks
the questions and turns a form that makes no sense into a FormProblem.
"""
from __future__ import annotations

import uuid
from typing import Any

from werkzeug.datastructures import FileStorage, MultiDict

from surveys import questions
from surveys.errors import AnswerError

IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic"}


class FormProblem(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def raw_answers(d: dict, form: MultiDict, files: MultiDict, store) -> dict[str, Any]:
    """Raw answers from the posted form, each read by its question type;
    ``store(upload) -> key`` keeps photos."""
    raw: dict[str, Any] = {}
    for q in d["questions"]:
        kind = questions.get(q["type"])
        if not kind.answerable:
            continue
        try:
            raw[q["code"]] = kind.read_form(q, form, files, store)
        except AnswerError as exc:
            raise FormProblem(exc.code or q["code"], str(exc)) from None
    return raw


def photo_key(run_id: int, household_id: int, upload: FileStorage) -> tuple[str, str]:
    content_type = (upload.mimetype or "").lower()
    if content_type not in IMAGE_TYPES:
        raise FormProblem("", "请上传 JPG 或 PNG 格式的照片")
    return f"surveys/{run_id}/{household_id}-{uuid.uuid4().hex[:12]}.{IMAGE_TYPES[content_type]}", content_type
