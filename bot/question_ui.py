"""Question types' own UI on pages: the ``question_type`` template global and a start-up check.

Pages draw a question through its type (``question_type(q.type).template("widgets")``),
never through an if-chain on its name; so a type registered without one of its
templates (templates/surveys/<place>/<type>.html) would show a question with no
input.  The app refuses to start instead.
"""
from __future__ import annotations

from flask import Flask
from jinja2 import Environment, TemplateNotFound

from surveys import questions


def init_app(app: Flask) -> None:
    """Offer ``question_type(name)`` to templates; raise when a type lacks a template."""
    app.jinja_env.globals["question_type"] = questions.get
    missing = missing_templates(app.jinja_env)
    if missing:
        raise RuntimeError("question types without their templates: " + ", ".join(missing))


def missing_templates(env: Environment) -> list[str]:
    """``type: template`` for each template a registered type names and the loader cannot find."""
    missing = []
    for name, kind in sorted(questions.REGISTRY.items()):
        for template in kind.templates():
            try:
                env.loader.get_source(env, template)
            except TemplateNotFound:
                missing.append(f"{name}: {template}")
    return missing
