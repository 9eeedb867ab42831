"""A worker enters a complaint on a resident's behalf (phone call, visit, paper form)."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for

from bot.complaints.services import current_env
from bot.console.auth import audit, can_see_community, roles_required
from bot.console.complaints import WORKERS, bp, viewer_actor
from bot.console.complaints.actions import MAX_UPLOAD
from bot.console.complaints.queue import lookups
from bot.runtime import services
from bot.urls import parse_int
from handlers.complaints import categories, intake, routing, staffwork
from handlers.complaints.lifecycle import transition
from handlers.complaints.photos import PhotoError


@bp.get("/new")
@roles_required(*WORKERS)
def new_form():
    return render_template("console/complaints/new.html", **lookups())


@bp.post("/new")
@roles_required(*WORKERS)
def new_save():
    form, env = request.form, current_env()
    community = parse_int(form.get("community_id"))
    if community is None or not can_see_community(community):
        abort(404)
    known = categories.by_code(current_app.config["LINLI"], form.get("category")) is not None
    if not known or not form.get("description", "").strip():
        flash("请选择类别并填写描述", "error")
        return render_template("console/complaints/new.html", form=form, **lookups()), 400
    complaint = intake.enter_by_staff(env=env, actor=viewer_actor(), community_id=community,
                                      category=form["category"], description=form["description"],
                                      location_label=form.get("location_label", ""))
    upload = request.files.get("photo")
    if upload is not None and upload.filename:
        try:
            staffwork.attach_upload(complaint, upload.read(MAX_UPLOAD + 1), env=env, storage=services().storage,
                                    kind="before")
        except PhotoError as exc:
            env.session.rollback()
            flash(f"照片无法使用：{exc}", "error")
            return render_template("console/complaints/new.html", form=form, **lookups()), 400
    audit("complaint.enter", f"complaint:{complaint.id}", community_id=complaint.community_id)
    said = dispatch_by_route(complaint, env) if form.get("dispatch") == "1" else ""
    env.session.commit()
    flash(f"已登记，编号 {complaint.ticket}" + said, "ok")
    return redirect(url_for("console_complaints.detail", complaint_id=complaint.id))


def dispatch_by_route(complaint, env) -> str:
    """Dispatch at once to the department the category and community route to; say what happened."""
    department = routing.department_for(complaint.category, complaint.community_id, env.settings, session=env.session)
    if department is None:
        return "；该类别在本小区没有承办部门，未自动派单，请人工指定"
    transition(complaint, "dispatch", env=env, actor=viewer_actor())
    audit("complaint.dispatch", f"complaint:{complaint.id}", community_id=complaint.community_id)
    return f"，已按类别派给{department.name}"
