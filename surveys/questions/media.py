"""Photos (storage keys or WeChat media ids) and section notes (no answer)."""
from __future__ import annotations

from typing import Any, Callable

from surveys.questions.base import QuestionType, register


@register
class Photo(QuestionType):
    name, label = "photo", "照片"
    chat_hint = "请直接发送照片"
    accepts_images = True

    def read_form(self, q: dict, form: Any, files: Any, store: Callable[[Any], str]) -> list[str]:
        """Keys of the uploaded photos (an empty file input posts a part without a name); too many
        are refused before any is decoded."""
        uploads = [f for f in files.getlist(q["code"]) if getattr(f, "filename", "")]
        if len(uploads) > q.get("max_photos", 3):
            raise self.fail(q, f"最多 {q.get('max_photos', 3)} 张照片")
        return [store(f) for f in uploads]

    def clean(self, q: dict, raw: Any) -> list[str]:
        keys = [str(k) for k in (raw if isinstance(raw, list) else [raw]) if k]
        if len(keys) > q.get("max_photos", 3):
            raise self.fail(q, f"最多 {q.get('max_photos', 3)} 张照片")
        return keys

    def describe(self, q: dict, value: Any) -> str:
        return f"{len(value or [])} 张照片"

    def tally(self, q: dict, values: list[Any]) -> dict:
        return {"answered": len(values), "photos": sum(len(v) for v in values)}


@register
class Note(QuestionType):
    """A section heading or explanation shown between questions."""

    name, label = "note", "说明"
    answerable = False

    def clean(self, q: dict, raw: Any) -> None:
        return None
