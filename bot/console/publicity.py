"""Console pages of publicity (公示): the published results, their objections, a worker's answer."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func
from sqlmodel import select

from bot import db
from bot.console import bp, nav
from bot.console.auth import audit, current_staff, require_community, roles_required
from bot.runtime import now, render
from models import Building, Community, Household
from models.publicity import Objection, Publicity
from surveys import objections, publicity
from surveys.errors import SurveyError

nav.add("console.publicity_list", "结果公示", ("admin", "worker"))


def _scoped(query, column):
    staff = current_staff()
    return query if staff.is_admin else query.where(column.in_(staff.community_ids or {-1}))


@bp.get("/publicity")
@roles_required("admin", "worker")
def publicity_list():
    """Published results, newest first, with their objections and how many wait for an answer."""
    sess = db.session()
    waiting = func.count(Objection.id) - func.count(Objection.answered_at)
    rows = sess.exec(_scoped(select(Publicity, Community.name, func.count(Objection.id), waiting)
                             .join(Community, Community.id == Publicity.community_id)
                             .outerjoin(Objection, Objection.publicity_id == Publicity.id), Publicity.community_id)
                     .group_by(Publicity.id, Community.name)
                     .order_by(Publicity.published_at.desc(), Publicity.id.desc()).limit(200)).all()
    return render_template("console/publicity/list.html", rows=rows, now=now(), is_open=publicity.is_open)


@bp.get("/publicity/<int:publicity_id>")
@roles_required("admin", "worker")
def publicity_detail(publicity_id: int):
    sess = db.session()
    p = sess.get(Publicity, publicity_id) or abort(404)
    require_community(p.community_id)
    rows = _objections(p.id)
    return render_template("console/publicity/detail.html", p=p, s=p.figures["summary"],
                           buildings=p.figures["buildings"], rows=rows, is_open=publicity.is_open(p, now()),
                           counts=publicity.objection_counts(p.id, session=sess))


@bp.post("/objections/<int:objection_id>/answer")
@roles_required("admin", "worker")
def objection_answer(objection_id: int):
    sess = db.session()
    row = sess.get(Objection, objection_id) or abort(404)
    require_community(row.community_id)
    try:
        objections.answer(row.id, request.form.get("answer", ""), session=sess, now=now(),
                          actor=current_staff().username, render=render)
    except SurveyError as exc:
        sess.rollback()
        flash(str(exc), "error")
        return redirect(url_for("console.publicity_detail", publicity_id=row.publicity_id))
    audit("survey.objection.answer", f"objection:{row.id}", community_id=row.community_id)
    sess.commit()
    flash("答复已发送给居民", "ok")
    return redirect(url_for("console.publicity_detail", publicity_id=row.publicity_id) + f"#objection-{row.id}")


def print_record(run_id: int) -> dict | None:
    """The publicity and its objections (with the household) for the run's printable report."""
    sess = db.session()
    p = publicity.of_run(run_id, session=sess)
    if p is None:
        return None
    return {"p": p, "rows": _objections(p.id), "counts": publicity.objection_counts(p.id, session=sess)}


def _objections(publicity_id: int) -> list[tuple]:
    """(objection, household, building name), oldest first."""
    return db.session().exec(select(Objection, Household, Building.name)
                             .join(Household, Household.id == Objection.household_id)
                             .join(Building, Building.id == Household.building_id)
                             .where(Objection.publicity_id == publicity_id)
                             .order_by(Objection.created_at, Objection.id)).all()
