"""Reading a survey form into raw answers keyed by question code (validation is the service's)."""
from __future__ import annotations

import uuid
from typing import Any

from werkzeug.datastructures import FileStorage, MultiDict

from surveys import questions

IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic"}


class FormProblem(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def raw_answers(d: dict, form: MultiDict, files: MultiDict, store) -> dict[str, Any]:
    """Raw answers from the posted form; ``store(data, content_type) -> key`` keeps photos."""
    raw: dict[str, Any] = {}
    for q in d["questions"]:
        kind, code = q["type"], q["code"]
        if not questions.get(kind).answerable:
            continue
        if kind == "multiple":
            raw[code] = form.getlist(code)
        elif kind == "ranking":
            raw[code] = ranked(q, form)
        elif kind == "grid":
            raw[code] = {r["code"]: form.get(f"{code}.{r['code']}", "") for r in q["rows"]}
            raw[code] = {k: v for k, v in raw[code].items() if v}
        elif kind == "photo":
            raw[code] = [store(f) for f in files.getlist(code) if isinstance(f, FileStorage) and f.filename]
        else:
            raw[code] = form.get(code, "").strip()
    return raw


def ranked(q: dict, form: MultiDict) -> list[str]:
    """Items in the order of the numbers the resident gave them (1 = most needed)."""
    places = []
    for opt in questions.options_of(q):
        value = form.get(f"{q['code']}.{opt['code']}", "").strip()
        if value:
            if not (value.isascii() and value.isdigit() and len(value) <= 6):
                raise FormProblem(q["code"], "名次请填数字")
            places.append((int(value), opt["code"]))
    if len({p for p, _ in places}) != len(places):
        raise FormProblem(q["code"], "名次不能重复")
    return [code for _, code in sorted(places)]


def photo_key(run_id: int, household_id: int, upload: FileStorage) -> tuple[str, str]:
    content_type = (upload.mimetype or "").lower()
    if content_type not in IMAGE_TYPES:
        raise FormProblem("", "请上传 JPG 或 PNG 格式的照片")
    return f"surveys/{run_id}/{household_id}-{uuid.uuid4().hex[:12]}.{IMAGE_TYPES[content_type]}", content_type
