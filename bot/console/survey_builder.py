"""Building a template question by question in the console (the JSON editor stays for the rest).

Each form posts one question; the draft with the new question goes through the
same check as an imported definition, so the builder cannot save what import refuses.
"""
from __future__ import annotations

import copy

from flask import abort, flash, redirect, request, url_for
from werkzeug.datastructures import MultiDict

from bot import db
from bot.console.auth import actor, audit, roles_required
from bot.console.surveys import bp
from bot.urls import parse_int
from models.surveys import SurveyTemplate
from surveys import templates
from surveys.errors import DefinitionError

NUMBER_KEYS = {"min_choices", "max_choices", "min", "max", "max_length"}


def parse_pairs(text: str) -> list[dict]:
    """Lines "code=文字" (or "code 文字") → [{code, label}]; a third part "|组" sets a group."""
    items = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        code, sep, rest = line.partition("=")
        if not sep:
            code, _, rest = line.partition(" ")
        label, _, group = rest.partition("|")
        item = {"code": code.strip(), "label": label.strip()}
        if group.strip():
            item["group"] = group.strip()
        items.append(item)
    return items


def condition(form: MultiDict) -> dict | None:
    question, op = form.get("cond_question", "").strip(), form.get("cond_op", "").strip()
    if not question or not op:
        return None
    raw = form.get("cond_value", "").strip()
    value: object = [v.strip() for v in raw.replace("，", ",").split(",") if v.strip()] if op in (
        "in", "not_in") else raw
    if op in ("gt", "gte", "lt", "lte") and raw.lstrip("-").replace(".", "", 1).isdigit():
        value = float(raw)
    joined = {"question": question, "op": op}
    if op not in ("answered", "not_answered"):
        joined["value"] = value
    return {"all": [joined]}


def question_from(form: MultiDict) -> dict:
    q: dict = {"code": form.get("code", "").strip(), "type": form.get("type", ""),
               "title": form.get("title", "").strip(), "required": form.get("required") == "on"}
    if form.get("options", "").strip():
        q["options"] = parse_pairs(form["options"])
    if form.get("rows", "").strip():
        q["rows"] = parse_pairs(form["rows"])
    for key in NUMBER_KEYS:
        number = parse_int(form.get(key), signed=True)
        if number is not None:
            q[key] = number
    if form.get("help", "").strip():
        q["help"] = form["help"].strip()
    show_if = condition(form)
    if show_if:
        q["show_if"] = show_if
    return q


@bp.post("/templates/<int:template_id>/questions")
@roles_required("admin")
def question_add(template_id: int):
    template = db.session().get(SurveyTemplate, template_id) or abort(404)
    draft = copy.deepcopy(template.draft)
    q = question_from(request.form)
    draft.setdefault("questions", []).append(q)
    if request.form.get("gate") == "on":
        draft["gate"] = {"question": q["code"], "options": [v.strip() for v in request.form.get(
            "gate_options", "").split(",") if v.strip()]}
    _save(template_id, draft, f"已添加题目 {q['code']}。")
    return redirect(url_for("console_surveys.template_edit", template_id=template_id))


@bp.post("/templates/<int:template_id>/questions/<code>/delete")
@roles_required("admin")
def question_delete(template_id: int, code: str):
    template = db.session().get(SurveyTemplate, template_id) or abort(404)
    draft = copy.deepcopy(template.draft)
    draft["questions"] = [q for q in draft.get("questions", []) if q.get("code") != code]
    _save(template_id, draft, f"已删除题目 {code}。")
    return redirect(url_for("console_surveys.template_edit", template_id=template_id))


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
