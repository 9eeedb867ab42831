"""A run's console pages: figures with charts, printable report and door-to-door list,
Excel export, closing, and paper ballots entered by a worker with a photo of the sheet."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from sqlmodel import select

from bot import db, runtime
from bot.console.auth import actor, audit, require_community, roles_required
from bot.console.surveys import bp
from bot.h5.forms import FormProblem, raw_answers
from bot.h5.uploads import PendingPhotos, limit_body
from bot.runtime import now, render
from bot.urls import parse_int
from models import Building, Household
from models.surveys import Ballot, SurveyEligible
from surveys import ballots, evidence, excel, proxies, runs, stats
from surveys.answers import AnswersInvalid
from surveys.errors import SurveyError
from surveys.stats import owners as owner_stats

limit_body(bp, ("console_surveys.paper_submit", "console_surveys.proxy_submit"))


@bp.errorhandler(413)
def too_large(_error):
    return render_template("console/error.html", title="文件太大",
                           message="上传的照片太大，请换一张较小的照片后再提交。"), 413


def _run(run_id: int):
    try:
        run = runs.get(run_id, session=db.session())
    except SurveyError:
        abort(404)
    require_community(run.community_id)
    return run


@bp.get("/runs/<int:run_id>")
@roles_required("admin", "worker")
def run_detail(run_id: int):
    run = _run(run_id)
    extra = {"not_voted": owner_stats.not_voted_by_floor(run, session=db.session()),
             "proxy_candidates": proxies.candidates(run_id, session=db.session()),
             "proxies": proxies.of_run(run_id, session=db.session())} if run.rule else {}
    report = stats.full_report(run_id, session=db.session(), after_reads=db.session().rollback)
    return render_template("console/surveys/run.html", run=run, report=report, s=report["summary"], **extra)


@bp.get("/runs/<int:run_id>/report")
@roles_required("admin", "worker")
def run_report(run_id: int):
    run = _run(run_id)
    report = stats.full_report(run_id, session=db.session(), after_reads=db.session().rollback)
    from bot.console.publicity import print_record

    return render_template("console/surveys/report.html", run=run, report=report, s=report["summary"],
                           printed_at=now(), publicity=print_record(run_id))


@bp.get("/runs/<int:run_id>/not-answered")
@roles_required("admin", "worker")
def run_not_answered(run_id: int):
    """Households not answered yet (masked), one sheet per building (``?building=ID``: that one only)."""
    run = _run(run_id)
    groups = stats.not_answered(run_id, session=db.session())
    building = db.session().get(Building, request.args.get("building", type=int) or 0)
    if building is not None:
        groups = [g for g in groups if g["building"] == building.name]
    return render_template("console/surveys/not_answered.html", run=run, groups=groups, printed_at=now())


@bp.get("/runs/<int:run_id>/export.xlsx")
@roles_required("admin", "worker")
def run_export(run_id: int):
    run = _run(run_id)
    data = excel.ballots_workbook(run_id, session=db.session())
    audit("survey.export", f"survey_run:{run_id}", community_id=run.community_id)
    db.session().commit()
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename=survey-{run_id}-ballots.xlsx"})


@bp.get("/runs/<int:run_id>/evidence.xlsx")
@roles_required("admin", "worker")
def run_evidence(run_id: int):
    """An owners' decision's evidence pack: scope, rule, owners (masked), ballots with proof, history, result."""
    run = _run(run_id)
    if not run.rule:
        abort(404)
    data = evidence.workbook(run_id, session=db.session())
    audit("survey.evidence_export", f"survey_run:{run_id}", community_id=run.community_id)
    db.session().commit()
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename=decision-{run_id}-evidence.xlsx"})


@bp.post("/runs/<int:run_id>/proxies")
@roles_required("admin", "worker")
def proxy_submit(run_id: int):
    """Record a family member's written authorisation (photo of the signed 委托书), checked by this worker."""
    _run(run_id)  # 404 unless this worker may see the run
    household_text, _, resident_text = request.form.get("proxy", "").partition("-")
    household_id, resident_id = parse_int(household_text), parse_int(resident_text)
    letter = request.files.get("letter")
    if not household_id or not resident_id or not letter or not letter.filename:
        flash("请选择受托的家庭成员并上传业主签字的委托书照片", "error")
        return redirect(url_for("console_surveys.run_detail", run_id=run_id))
    photos = PendingPhotos(run_id, household_id)
    try:
        key = photos.add(letter)
        proxies.grant(run_id, household_id, resident_id, key, session=db.session(), actor=actor(), now=now())
        photos.write(runtime.services().storage)
    except (FormProblem, SurveyError) as exc:
        db.session().rollback()
        flash(f"委托未登记：{exc}", "error")
        return redirect(url_for("console_surveys.run_detail", run_id=run_id))
    db.session().commit()
    flash("委托已登记，该家庭成员可代业主投票。", "info")
    return redirect(url_for("console_surveys.run_detail", run_id=run_id))


@bp.post("/runs/<int:run_id>/proxies/revoke")
@roles_required("admin", "worker")
def proxy_revoke(run_id: int):
    """Withdraw an authorisation not yet used (the owner took it back)."""
    _run(run_id)  # 404 unless this worker may see the run
    household_text, _, resident_text = request.form.get("proxy", "").partition("-")
    try:
        proxies.revoke(run_id, parse_int(household_text) or 0, parse_int(resident_text) or 0,
                       session=db.session(), actor=actor())
    except SurveyError as exc:
        db.session().rollback()
        flash(f"委托未撤销：{exc}", "error")
        return redirect(url_for("console_surveys.run_detail", run_id=run_id))
    db.session().commit()
    flash("委托已撤销，该家庭成员不能再代业主投票。", "info")
    return redirect(url_for("console_surveys.run_detail", run_id=run_id))


@bp.post("/runs/<int:run_id>/close")
@roles_required("admin")
def run_close(run_id: int):
    _run(run_id)
    runs.close(run_id, session=db.session(), now=now(), actor=actor())
    db.session().commit()
    flash("调查已结束。", "info")
    return redirect(url_for("console_surveys.run_detail", run_id=run_id))


@bp.post("/runs/<int:run_id>/settings")
@roles_required("admin")
def run_settings(run_id: int):
    """Whether residents see the results while the survey is open (default: after close)."""
    _run(run_id)
    visible = request.form.get("results_visible", "")
    if visible not in ("after_close", "always", "never"):
        abort(400)
    runs.change_settings(run_id, session=db.session(), actor=actor(), results_visible=visible)
    db.session().commit()
    flash("已更新结果公开设置。", "info")
    return redirect(url_for("console_surveys.run_detail", run_id=run_id))


@bp.get("/runs/<int:run_id>/paper")
@roles_required("admin", "worker")
def paper_form(run_id: int, errors: dict | None = None, values: dict | None = None, status: int = 200):
    run = _run(run_id)
    sess = db.session()
    households = sess.exec(select(Household, Building).join(SurveyEligible, SurveyEligible.household_id == Household.id)
                           .join(Building, Building.id == Household.building_id)
                           .where(SurveyEligible.run_id == run_id, SurveyEligible.eligible)
                           .order_by(Building.sort_key, Building.name, Household.unit, Household.room)).all()
    d = runs.version_of(run, session=sess).definition
    papers = sess.exec(select(Ballot, Household, Building).join(Household, Household.id == Ballot.household_id)
                       .join(Building, Building.id == Household.building_id)
                       .where(Ballot.run_id == run_id, Ballot.channel == "paper")
                       .order_by(Ballot.updated_at.desc())).all()
    return render_template("console/surveys/paper.html", run=run, d=d, households=households, papers=papers,
                           errors=errors or {}, values=values or {},
                           titles={q["code"]: q["title"] for q in d["questions"]},
                           chosen=parse_int(request.form.get("household_id"))), status


@bp.post("/runs/<int:run_id>/paper")
@roles_required("admin", "worker")
def paper_submit(run_id: int):
    run = _run(run_id)
    sess = db.session()
    household_id = parse_int(request.form.get("household_id"))
    sheet = request.files.get("sheet")
    if not household_id or not sheet or not sheet.filename:
        return paper_form(run_id, errors={"_form": "请选择户并上传签字的纸质答卷照片"}, status=400)
    d = runs.version_of(run, session=sess).definition
    photos = PendingPhotos(run_id, household_id)
    try:
        key = photos.add(sheet)
        raw = raw_answers(d, request.form, request.files, photos.add)
        cast = ballots.Cast(channel="paper", raw=raw, actor=actor(), photo_key=key)
        ballot = ballots.cast_ballot(run_id, household_id, cast, session=sess, now=now(), render=render)
        photos.write(runtime.services().storage)  # only once the ballot is accepted
    except FormProblem as exc:
        return paper_form(run_id, errors={exc.code or "_form": str(exc)}, status=400)
    except AnswersInvalid as exc:
        sess.rollback()
        return paper_form(run_id, errors=exc.errors, values=raw, status=400)
    except SurveyError as exc:
        sess.rollback()
        return paper_form(run_id, errors={"_form": str(exc)}, status=400)
    audit("survey.paper_ballot", f"ballot:{ballot.id}", after={"household_id": household_id, "photo": key},
          community_id=run.community_id)
    sess.commit()
    flash("纸质答卷已录入。", "info")
    return redirect(url_for("console_surveys.paper_form", run_id=run_id))


@bp.get("/ballots/<int:ballot_id>/sheet")
@roles_required("admin", "worker")
def paper_sheet(ballot_id: int):
    """The photo of a signed paper ballot, for staff of the ballot's community."""
    ballot = db.session().get(Ballot, ballot_id)
    if ballot is None or not ballot.photo_key:
        abort(404)
    run = _run(ballot.run_id)
    try:
        data = runtime.services().storage.get(ballot.photo_key)
    except KeyError:
        abort(404)
    audit("survey.paper_sheet.view", f"ballot:{ballot_id}", community_id=run.community_id)
    db.session().commit()
    kind = "image/png" if ballot.photo_key.endswith(".png") else "image/jpeg"  # .png: stored before re-encoding
    return Response(data, mimetype=kind, headers={"Cache-Control": "private, no-store"})
