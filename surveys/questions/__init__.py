"""Question types, keyed by name: a new type is a class with ``@register`` (its module
named in MODULES) and its three templates, ``templates/surveys/{widgets,printed,figures}/<name>.html``.

Each type validates its own definition, cleans a raw answer (from a form, a
chat reply or JSON) into the stored value, reads a chat reply and its posted
form value, describes a value for a summary and tallies values for the
statistics; it says which settings the editor offers, how survey.js reads its
value, and what conditions and gate defaults it allows.  The app refuses to
start when a type lacks a template (bot/question_ui.py), and
tests/bot/test_question_types_ui.py draws every type on every page.
"""
from __future__ import annotations

from importlib import import_module

from surveys.questions.base import REGISTRY, QuestionType, get, options_of, register

MODULES = ("choice", "ranking", "grid", "text", "number", "media")

for _name in MODULES:
    import_module(f"surveys.questions.{_name}")

__all__ = ["REGISTRY", "QuestionType", "get", "options_of", "register"]
