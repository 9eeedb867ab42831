"""Building a template in the console without codes: questions, options and conditions in words.

Codes are made from the text (``surveys.codes``) when a question or option is first
added, and kept through every later edit; only the advanced view (the JSON) shows or
changes them.  Each form posts one question; the draft goes through the same check as
an imported definition, so the builder cannot save what import refuses.
"""
from __future__ import annotations

import copy
import json

from flask import abort, flash, redirect, request, url_for
from werkzeug.datastructures import MultiDict

from bot import db
from bot.console.auth import actor, audit, roles_required
from bot.console.surveys import bp
from bot.urls import parse_int
from models.surveys import SurveyTemplate
from surveys import codes, questions, templates
from surveys.definition import question as find_question
from surveys.errors import DefinitionError

NUMBER_KEYS = ("min_choices", "max_choices", "min", "max", "max_length")
KEEP = "keep"  # the condition select's value for "leave the current (advanced) condition as it is"


class FormError(ValueError):
    """What the person typed cannot be a question (in Chinese, for a flash)."""


def lines(text: str) -> list[tuple[str, str]]:
    """One option a line, "文字" or "文字|组" (groups for ranking): [(label, group)]."""
    items = []
    for line in (text or "").splitlines():
        label, _, group = line.strip().partition("|")
        if label.strip():
            items.append((label.strip(), group.strip()))
    return items


def question_from(form: MultiDict, d: dict, old: dict | None = None) -> dict:
    """The question the form describes; ``old`` keeps its code, type and option codes."""
    q = copy.deepcopy(old) if old else {"type": form.get("type", "")}
    if questions.REGISTRY.get(q["type"]) is None:
        raise FormError("请选择题型")
    q["title"] = form.get("title", "").strip()
    if not old:
        q["code"] = codes.from_text(q["title"], [x["code"] for x in d.get("questions", [])], "q")
    q["required"] = form.get("required") == "on"
    _set_text(q, "help", form.get("help", ""))
    _set_items(q, "options", lines(form.get("options", "")), "o")
    _set_items(q, "rows", lines(form.get("rows", "")), "r")
    for key in NUMBER_KEYS:
        number = parse_int(form.get(key), signed=True)
        if number is not None:
            q[key] = number
        elif key in form:
            q.pop(key, None)
    _set_condition(q, form.get("condition", ""))
    return q


def _set_text(q: dict, key: str, value: str) -> None:
    if value.strip():
        q[key] = value.strip()
    else:
        q.pop(key, None)


def _set_items(q: dict, key: str, labels: list[tuple[str, str]], fallback: str) -> None:
    if labels:
        standard = questions.options_of(q) if key == "options" and questions.get(q["type"]).has_options else []
        q[key] = codes.carry(q.get(key) or standard, labels, fallback)  # 同意 keeps ``yes``
    else:
        q.pop(key, None)  # yes/no/abstain and satisfaction fall back to their standard options


def _set_condition(q: dict, raw: str) -> None:
    if raw == KEEP:
        return
    if not raw:
        q.pop("show_if", None)
        return
    try:
        condition = json.loads(raw)
    except ValueError:
        raise FormError("显示条件无效") from None
    if not isinstance(condition, dict):
        raise FormError("显示条件无效")
    q["show_if"] = condition


def set_gate(d: dict, q: dict, form: MultiDict) -> None:
    """The gate from the form: this question counts the options named (by label) as "yes"."""
    if form.get("gate") != "on":
        if (d.get("gate") or {}).get("question") == q["code"]:
            d.pop("gate")
        return
    labels = {o["label"]: o["code"] for o in questions.options_of(q)} if questions.get(q["type"]).has_options else {}
    named = [w.strip() for w in form.get("gate_labels", "").replace("，", ",").replace("、", ",").split(",")
             if w.strip()]
    unknown = [w for w in named if w not in labels]
    if unknown:
        raise FormError(f"门槛的选项“{'、'.join(unknown)}”不在本题选项中")
    d["gate"] = {"question": q["code"], "options": [labels[w] for w in named]}


@bp.post("/templates/<int:template_id>/questions")
@roles_required("admin")
def question_add(template_id: int):
    draft = _draft(template_id)
    try:
        q = question_from(request.form, draft)
        draft.setdefault("questions", []).append(q)
        set_gate(draft, q, request.form)
    except FormError as exc:
        flash(str(exc), "error")
    else:
        _save(template_id, draft, f"已添加题目“{q['title']}”。")
    return redirect(url_for("console_surveys.template_edit", template_id=template_id) + "#builder")


@bp.post("/templates/<int:template_id>/questions/<code>")
@roles_required("admin")
def question_edit(template_id: int, code: str):
    """Change a question's wording, options, condition or gate; its code and type stay."""
    draft = _draft(template_id)
    old = find_question(draft, code) or abort(404)
    try:
        q = question_from(request.form, draft, old)
        draft["questions"] = [q if x["code"] == code else x for x in draft["questions"]]
        set_gate(draft, q, request.form)
    except FormError as exc:
        flash(str(exc), "error")
    else:
        _save(template_id, draft, "已保存题目。")
    return redirect(url_for("console_surveys.template_edit", template_id=template_id) + "#builder")


@bp.post("/templates/<int:template_id>/questions/<code>/delete")
@roles_required("admin")
def question_delete(template_id: int, code: str):
    draft = _draft(template_id)
    draft["questions"] = [q for q in draft.get("questions", []) if q.get("code") != code]
    if (draft.get("gate") or {}).get("question") == code:
        draft.pop("gate")
    _save(template_id, draft, "已删除题目。")
    return redirect(url_for("console_surveys.template_edit", template_id=template_id) + "#builder")


@bp.post("/templates/<int:template_id>/basics")
@roles_required("admin")
def template_basics(template_id: int):
    """Title and the text shown before the first question."""
    draft = _draft(template_id)
    draft["title"] = request.form.get("title", "").strip()
    _set_text(draft, "description", request.form.get("description", ""))
    _save(template_id, draft, "已保存标题和说明。")
    return redirect(url_for("console_surveys.template_edit", template_id=template_id))


def _draft(template_id: int) -> dict:
    template = db.session().get(SurveyTemplate, template_id) or abort(404)
    return copy.deepcopy(template.draft)


def _save(template_id: int, draft: dict, done: str) -> None:
    sess = db.session()
    try:
        templates.import_definition(draft, session=sess, actor=actor())
    except DefinitionError as exc:
        sess.rollback()
        for problem in exc.problems:
            flash(problem, "error")
        return
    audit("survey.template.build", f"survey_template:{template_id}", after={"questions": len(draft["questions"])})
    sess.commit()
    flash(done + "发布时生成新版本。", "info")
