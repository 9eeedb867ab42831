"""Question types, keyed by name: a new type is one class with ``@register``.

Each type validates its own definition, cleans a raw answer (from a form, a
chat reply or JSON) into the stored value, reads a chat reply, describes a
value for a summary and tallies values for the statistics.
"""
from __future__ import annotations

from importlib import import_module

from surveys.questions.base import REGISTRY, QuestionType, get, options_of, register

MODULES = ("choice", "ranking", "grid", "text", "number", "media")

for _name in MODULES:
    import_module(f"surveys.questions.{_name}")

__all__ = ["REGISTRY", "QuestionType", "get", "options_of", "register"]
