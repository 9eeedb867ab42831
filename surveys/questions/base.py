"""The question-type protocol and its registry.

A type carries its own UI as CTFd's challenge types carry theirs: the templates
named by :meth:`QuestionType.template` (``templates/surveys/<place>/<name>.html``
for each of :data:`PLACES`) and :meth:`QuestionType.read_form`, which reads its
value from a posted form.  ``bot`` refuses to start when an answerable type
lacks one of its templates.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any, Callable, ClassVar

from surveys.errors import AnswerError

REGISTRY: dict[str, "QuestionType"] = {}
# Where a type shows itself: the input on the H5 page and the console's paper entry,
# the printed ballot, the figures on the console and the printable report.
PLACES = ("widgets", "printed", "figures")

_SPLIT = re.compile(r"[\s,，、;；/]+")


def register(cls: type["QuestionType"]) -> type["QuestionType"]:
    """Add a question type by its ``name``; a name taken by another class raises (no silent overwrite)."""
    held = REGISTRY.get(cls.name)
    if held is not None and type(held) is not cls:
        raise ValueError(f"question type {cls.name!r} is already registered by {type(held).__qualname__}")
    REGISTRY[cls.name] = cls()
    return cls


def get(name: str) -> "QuestionType":
    return REGISTRY[name]


def options_of(q: dict) -> list[dict]:
    """The question's options, or its type's defaults (yes/no/abstain, 5 levels)."""
    return q.get("options") or get(q["type"]).default_options()


class QuestionType:
    """Base behaviour for a type; subclasses override what differs."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""  # Chinese, for the console
    answerable: ClassVar[bool] = True
    has_options: ClassVar[bool] = False
    gate_capable: ClassVar[bool] = False  # a single value among options
    chat_hint: ClassVar[str] = ""
    accepts_images: ClassVar[bool] = False  # a photo sent in chat answers it
    free_text: ClassVar[bool] = False  # its answers feed the themes (keywords, comments)
    condition_ops: ClassVar[tuple[str, ...]] = ()  # per-option conditions a later question may use
    # How survey.js reads the value while the resident answers (to show or hide later
    # questions): "one" (a radio or a text input), "number", "many", "ranked" or "grid".
    form_value: ClassVar[str] = "one"
    # The settings the console's question editor offers: "options", "rows", "choices"
    # (min/max picked) and "range" (min/max value).
    editor_fields: ClassVar[tuple[str, ...]] = ()

    def template(self, place: str) -> str:
        """The template showing this type in ``place`` (one of PLACES)."""
        return f"surveys/{place}/{self.name}.html"

    def templates(self) -> list[str]:
        """Every template the type needs (none for a type without an answer)."""
        return [self.template(place) for place in PLACES] if self.answerable else []

    def read_form(self, q: dict, form: Any, files: Any, store: Callable[[Any], str]) -> Any:
        """The raw answer from a posted form (``get``/``getlist`` mappings); ``store(upload) -> key``
        keeps an uploaded file.  Raises AnswerError when the form itself makes no sense."""
        return (form.get(q["code"]) or "").strip()

    def example(self, code: str) -> dict:
        """A small valid question of this type (the test drawing every type on every page uses it)."""
        q = {"code": code, "type": self.name, "title": f"示例{self.label}题"}
        if self.has_options and not self.default_options():
            q["options"] = [{"code": "a", "label": "甲"}, {"code": "b", "label": "乙"}, {"code": "c", "label": "丙"}]
        return q

    def gate_options(self, q: dict) -> list[str]:
        """The options that count for the gate when the definition names none."""
        return []

    def hint_for(self, q: dict) -> str:
        """How to answer ``q`` in chat (types whose example depends on the question override it)."""
        return self.chat_hint

    def default_options(self) -> list[dict]:
        return []

    def check(self, q: dict) -> list[str]:
        """Problems with the definition of ``q`` (empty when fine)."""
        if not self.has_options:
            return []
        opts = options_of(q)
        if not opts:
            return [f"题目 {q['code']} 缺少选项"]
        codes = [o.get("code") for o in opts]
        problems = [f"题目 {q['code']} 的选项缺少 code 或 label" for o in opts if not o.get("code") or not o.get("label")]
        if len(set(codes)) != len(codes):
            problems.append(f"题目 {q['code']} 的选项 code 重复")
        return problems

    def clean(self, q: dict, raw: Any) -> Any:
        """The stored value for ``raw``; raises AnswerError with a message."""
        raise NotImplementedError

    def parse_chat(self, q: dict, text: str) -> Any:
        """What a chat reply means, as a raw answer for :meth:`clean`."""
        return text.strip()

    def describe(self, q: dict, value: Any) -> str:
        return str(value)

    def tally(self, q: dict, values: list[Any]) -> dict:
        return {"answered": len(values)}

    # helpers shared by option types -------------------------------------------------
    def fail(self, q: dict, default: str) -> AnswerError:
        message = (q.get("validation") or {}).get("message") or default
        return AnswerError(message, q["code"])

    def option_code(self, q: dict, token: str) -> str | None:
        """An option code from its number (1-based), its code or its label."""
        token = str(token).strip()
        opts = options_of(q)
        if token.isdigit() and 1 <= int(token) <= len(opts):
            return opts[int(token) - 1]["code"]
        for opt in opts:
            if token in (opt["code"], opt["label"]):
                return opt["code"]
        return None

    def split_tokens(self, q: dict, text: str) -> list[str]:
        """"1 3" "1,3" "1、3" and, with fewer than ten options, "13"."""
        text = text.strip()
        if text.isdigit() and len(options_of(q)) < 10:
            return list(text)
        return [t for t in _SPLIT.split(text) if t]

    def labels(self, q: dict) -> dict[str, str]:
        return {o["code"]: o["label"] for o in options_of(q)}

    def count_options(self, q: dict, values: list[Any]) -> dict:
        counts: Counter = Counter()
        for value in values:
            counts.update(value if isinstance(value, list) else [value])
        total = len(values)
        rows = [{"code": o["code"], "label": o["label"], "count": counts.get(o["code"], 0),
                 "rate": round(counts.get(o["code"], 0) / total, 4) if total else 0.0} for o in options_of(q)]
        return {"answered": total, "options": rows}
