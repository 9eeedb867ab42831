"""``/console/surveys``: the city overview, templates (import, edit, export) and publishing.

A run's own pages (figures, exports, paper ballots) are in ``survey_runs`` and ``survey_print``;
the question builder in ``survey_builder``, previews in ``survey_preview``.
"""
from __future__ import annotations

import json

import click
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from sqlmodel import select

from bot import db
from bot.console import nav
from bot.console.auth import actor, audit, roles_required, visible_community_ids
from bot.urls import parse_int
from models import Community
from models.surveys import SurveyTemplate, SurveyVersion
from surveys import paper, phases, questions, runs, samples, stats, templates
from surveys.errors import DefinitionError, SurveyError

bp = Blueprint("console_surveys", __name__, url_prefix="/console/surveys")
nav.add("console_surveys.overview", "调查", ("admin", "worker"))
PHASE_LABELS = {"willingness": "改造意愿", "plan_opinion": "方案意见", "plan_vote": "方案表决", "satisfaction": "满意度"}


@bp.app_template_filter("phase_label")
def phase_label(phase: str) -> str:
    return PHASE_LABELS.get(phase, phase)


@bp.get("/")
@roles_required("admin", "worker")
def overview():
    visible = visible_community_ids()
    data = stats.overview(session=db.session(), community_ids=None if visible is None else list(visible),
                          phase=request.args.get("phase") or None)
    return render_template("console/surveys/overview.html", data=data, phases=PHASE_LABELS)


@bp.get("/templates")
@roles_required("admin")
def template_list():
    return render_template("console/surveys/templates.html", rows=templates.list_templates(session=db.session()),
                           phases=PHASE_LABELS)


@bp.post("/templates/new")
@roles_required("admin")
def template_new():
    """A new template from the phase's sample, under the title given; its code is made from the title."""
    sess, title, phase = db.session(), request.form.get("title", "").strip(), request.form.get("phase", "")
    if not title or phase not in PHASE_LABELS:
        flash("请填写标题并选择阶段。", "error")
        return redirect(url_for("console_surveys.template_list"))
    taken = sess.exec(select(SurveyTemplate.code)).all()
    template = _save_definition(json.dumps(samples.starter(phase, title, taken), ensure_ascii=False))
    if template is None:
        return redirect(url_for("console_surveys.template_list"))
    flash(f"已新建“{template.title}”，题目取自{PHASE_LABELS[phase]}示例，可修改或删除。", "info")
    return redirect(url_for("console_surveys.template_edit", template_id=template.id))


@bp.post("/templates")
@roles_required("admin")
def template_import():
    """Import from an uploaded file or the pasted JSON (create, or replace the draft with the same code)."""
    upload = request.files.get("file")
    text = upload.read().decode("utf-8", "replace") if upload and upload.filename else request.form.get("json", "")
    template = _save_definition(text)
    if template is None:
        return redirect(url_for("console_surveys.template_list"))
    flash(f"已保存模板“{template.title}”。", "info")
    return redirect(url_for("console_surveys.template_edit", template_id=template.id))


def _save_definition(text: str) -> SurveyTemplate | None:
    sess = db.session()
    try:
        template = templates.import_definition(json.loads(text), session=sess, actor=_actor())
    except json.JSONDecodeError as exc:
        flash(f"JSON 格式有误：第 {exc.lineno} 行 {exc.msg}", "error")
        return None
    except DefinitionError as exc:
        sess.rollback()
        for problem in exc.problems:
            flash(problem, "error")
        return None
    audit("survey.template.save", f"survey_template:{template.id}", after={"code": template.code})
    sess.commit()
    return template


@bp.get("/templates/<int:template_id>")
@roles_required("admin")
def template_edit(template_id: int, warnings: list[str] | None = None, asked: dict | None = None, status: int = 200):
    sess = db.session()
    template = sess.get(SurveyTemplate, template_id) or abort(404)
    versions = next((r["versions"] for r in templates.list_templates(session=sess) if r["id"] == template_id), [])
    communities = sess.exec(select(Community).order_by(Community.name)).all()
    return render_template("console/surveys/template.html", template=template, versions=versions,
                           communities=communities, types=questions.REGISTRY.values(),
                           type_labels={t.name: t.label for t in questions.REGISTRY.values()},
                           rows=paper.numbered(template.draft), choices=paper.condition_choices,
                           warnings=warnings or [], asked=asked or {}), status


@bp.get("/templates/<int:template_id>/advanced")
@roles_required("admin")
def template_advanced(template_id: int):
    """The codes and the whole definition as JSON, for those who need them."""
    sess = db.session()
    template = sess.get(SurveyTemplate, template_id) or abort(404)
    versions = next((r["versions"] for r in templates.list_templates(session=sess) if r["id"] == template_id), [])
    return render_template("console/surveys/template_advanced.html", template=template, versions=versions,
                           answered=any(v["ballots"] for v in versions),
                           text=json.dumps(template.draft, ensure_ascii=False, indent=2))


@bp.post("/templates/<int:template_id>")
@roles_required("admin")
def template_save(template_id: int):
    template = _save_definition(request.form.get("json", ""))
    if template is not None:
        flash(f"已保存模板“{template.title}”。发布时生成新版本。", "info")
    return redirect(url_for("console_surveys.template_advanced", template_id=template_id))


@bp.get("/templates/<int:template_id>/export.json")
@roles_required("admin")
def template_export(template_id: int):
    try:
        data = templates.export_definition(template_id, session=db.session())
    except SurveyError:
        abort(404)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename=survey-{data['code']}.json"})


@bp.post("/templates/<int:template_id>/publish")
@roles_required("admin")
def template_publish(template_id: int):
    from bot.cli.surveys import parse_time

    sess = db.session()
    community_id = parse_int(request.form.get("community_id"))
    template = sess.get(SurveyTemplate, template_id) or abort(404)
    early = phases.unmet_gates(community_id or 0, template.phase, session=sess)
    if early and request.form.get("confirm") != "1":
        return template_edit(template_id, warnings=early, asked=request.form.to_dict(), status=409)
    try:
        run = runs.publish(template_id, community_id or 0, session=sess, now=now(),
                           opens_at=parse_time(request.form.get("opens") or None),
                           closes_at=parse_time(request.form.get("closes") or None), actor=_actor(),
                           rule=request.form.get("rule") or None, scope=request.form.get("scope", "").strip())
    except (SurveyError, click.BadParameter) as exc:
        sess.rollback()
        flash(f"发布失败：{getattr(exc, 'message', None) or exc}", "error")
        return redirect(url_for("console_surveys.template_edit", template_id=template_id))
    if early:
        audit("survey.run.publish_early", f"survey_run:{run.id}", after={"warnings": early},
              community_id=community_id)
    sess.commit()
    flash(f"已发布：{run.title}（{run.eligible_count} 户参与统计，排除 {run.excluded_count} 户）。", "info")
    return redirect(url_for("console_surveys.run_detail", run_id=run.id))


@bp.get("/versions/<int:version_id>")
@roles_required("admin")
def version_edit(version_id: int):
    version = db.session().get(SurveyVersion, version_id) or abort(404)
    return render_template("console/surveys/version.html", version=version,
                           ballots=templates.ballot_count(version_id, session=db.session()),
                           text=json.dumps(version.definition, ensure_ascii=False, indent=2))


@bp.post("/versions/<int:version_id>")
@roles_required("admin")
def version_save(version_id: int):
    """Fix wording of a published version; structural changes are refused once it has ballots."""
    sess = db.session()
    try:
        templates.edit_version(version_id, json.loads(request.form.get("json", "")), session=sess, actor=_actor())
    except json.JSONDecodeError as exc:
        flash(f"JSON 格式有误：第 {exc.lineno} 行 {exc.msg}", "error")
    except DefinitionError as exc:
        sess.rollback()
        for problem in exc.problems:
            flash(problem, "error")
    except SurveyError as exc:
        sess.rollback()
        flash(str(exc), "error")
    else:
        sess.commit()
        flash("已保存版本的文字修改（已记入操作日志）。", "info")
    return redirect(url_for("console_surveys.version_edit", version_id=version_id))


def _actor() -> str:
    return actor()


from bot.console import survey_builder, survey_preview, survey_print, survey_runs  # noqa: E402,F401  (register their pages on bp)
from bot.runtime import now
