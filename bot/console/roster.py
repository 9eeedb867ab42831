"""Roster upload page, its progress and its error report."""
from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from sqlmodel import select

from bot import db
from bot.console import bp, roster_jobs
from bot.console.auth import actor, current_staff, roles_required, visible_community_ids
from handlers.households.roster_template import template_workbook
from models import ImportJob

ALLOWED_SUFFIXES = (".xlsx", ".csv")


@bp.get("/roster")
@roles_required("admin", "worker")
def roster_upload():
    recent = db.session().exec(select(ImportJob).where(ImportJob.created_by == actor())
                               .order_by(ImportJob.id.desc()).limit(10)).all()
    return render_template("console/roster_upload.html", recent=recent)


@bp.get("/roster/template.xlsx")
@roles_required("admin", "worker")
def roster_template():
    """A blank roster with the Chinese headers and two example rows."""
    return Response(template_workbook(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=roster-template.xlsx; "
                                                    "filename*=UTF-8''%E8%8A%B1%E5%90%8D%E5%86%8C%E6%A8%A1%E6%9D%BF.xlsx"})


@bp.post("/roster")
@roles_required("admin", "worker")
def roster_submit():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("请选择花名册文件（.xlsx 或 .csv）。", "error")
        return redirect(url_for("console.roster_upload"))
    if not upload.filename.lower().endswith(ALLOWED_SUFFIXES):
        flash("只支持 .xlsx 或 .csv 文件。", "error")
        return redirect(url_for("console.roster_upload"))
    data, sess = upload.read(), db.session()
    job = roster_jobs.create_job(filename=upload.filename, actor=actor(), session=sess)
    sess.commit()
    roster_jobs.start(current_app._get_current_object(), job.token, data, filename=upload.filename,
                      allowed=visible_community_ids(), actor=actor(),
                      create_communities=request.form.get("create_communities") == "1")
    return redirect(url_for("console.roster_job", token=job.token))


def own_job(token: str) -> ImportJob:
    job = db.session().exec(select(ImportJob).where(ImportJob.token == token)).first()
    staff = current_staff()
    if job is None or (job.created_by != staff.username and not staff.is_admin):
        abort(404)
    return job


@bp.get("/roster/<token>")
@roles_required("admin", "worker")
def roster_job(token: str):
    job = own_job(token)
    return render_template("console/roster_job.html", job=job)


@bp.get("/roster/<token>/status")
@roles_required("admin", "worker")
def roster_job_status(token: str):
    job = own_job(token)
    live = roster_jobs.progress_table(current_app).get(token, {})
    return {"status": job.status, "phase": live.get("phase"), "done": live.get("done", 0),
            "total": live.get("total", 0), "finished": job.status in ("done", "failed")}
