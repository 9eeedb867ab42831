"""The queue: filters (state, category, community, department, overdue), paging, bulk dispatch."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from sqlmodel import func, select

from bot import db
from bot.complaints.services import current_env
from bot.console.auth import audit, current_staff, roles_required
from bot.console.complaints import STAFF_ROLES, WORKERS, bp, viewer_actor, viewer_scope, visible_complaint
from bot.urls import MAX_ID, int_param, parse_int, safe_next
from handlers.complaints import categories, queries
from handlers.complaints.labels import STATE_LABELS
from handlers.complaints.lifecycle import transition
from handlers.complaints.rules import TransitionError
from handlers.complaints.states import OPEN_STATES
from models import Community, Complaint, ComplaintPhoto, Department, DepartmentCommunity


def filters_from(args) -> queries.Filters:
    def text(name):  # PostgreSQL refuses NUL in text (a 500 on the queue and the export otherwise)
        return args.get(name, "").replace("\x00", "")
    return queries.Filters(state=text("state"), category=text("category"),
                           community_id=int_param("community", args), department_id=int_param("department", args),
                           overdue=args.get("overdue") == "1", ticket=text("ticket"))


def lookups() -> dict:
    sess, staff = db.session(), current_staff()
    communities = sess.exec(select(Community.id, Community.name).order_by(Community.name)).all()
    if not staff.is_admin:
        visible = department_community_ids(staff) if staff.role == "department" else staff.community_ids
        communities = [c for c in communities if c[0] in visible]
    departments = sess.exec(select(Department.id, Department.name, Department.retired_at)
                            .order_by(Department.name)).all()
    return {"communities": dict(communities),
            "departments": {d_id: name + ("（已撤销）" if retired else "") for d_id, name, retired in departments},
            "active_departments": {d_id: name for d_id, name, retired in departments if retired is None},
            "categories": {c.code: categories.short_name(current_app.config["LINLI"], c.code)
                           for c in categories.all_categories(current_app.config["LINLI"])},
            "states": STATE_LABELS}


def department_community_ids(staff) -> frozenset[int]:
    """Department staff serve no community of their own: the ones their department serves or got complaints from."""
    sess = db.session()
    served = sess.exec(select(DepartmentCommunity.community_id)
                       .where(DepartmentCommunity.department_id == staff.department_id)).all()
    received = sess.exec(select(Complaint.community_id).distinct()
                         .where(Complaint.department_id == staff.department_id)).all()
    return frozenset(served) | frozenset(received)


@bp.get("/")
@roles_required(*STAFF_ROLES)
def queue():
    env = current_env()
    filters = filters_from(request.args)
    size = int(current_app.config["LINLI"]["console"]["page_size"])
    page_no = max(1, int_param("page", maximum=MAX_ID // size) or 1)
    rows, total = queries.page(viewer_scope(), filters, env.now, offset=(page_no - 1) * size, limit=size,
                               session=env.session)
    pending = dict(env.session.exec(select(ComplaintPhoto.complaint_id, func.count()).where(
        ComplaintPhoto.complaint_id.in_([c.id for c in rows] or [-1]), ComplaintPhoto.status == "pending")
        .group_by(ComplaintPhoto.complaint_id)).all())
    return render_template("console/complaints/queue.html", rows=rows, total=total, page=page_no, size=size,
                           filters=filters, args=request.args.to_dict(), pending=pending, now=env.now,
                           open_states=OPEN_STATES, can_dispatch=current_staff().role in WORKERS, **lookups())


@bp.post("/bulk-dispatch")
@roles_required(*WORKERS)
def bulk_dispatch():
    env = current_env()
    ids = [value for value in map(parse_int, request.form.getlist("ids")) if value is not None]
    department_id = request.form.get("department_id", "")
    done, failed = 0, []
    for complaint_id in ids:
        complaint = visible_complaint(complaint_id)
        try:
            with env.session.begin_nested():
                transition(complaint, "dispatch", env=env, actor=viewer_actor(),
                           department_id=parse_int(department_id))
            audit("complaint.dispatch", f"complaint:{complaint.id}", community_id=complaint.community_id)
            done += 1
        except TransitionError as exc:
            failed.append(f"{complaint.ticket}：{exc}")
    env.session.commit()
    flash(f"已派单 {done} 件" + ("；未派：" + "；".join(failed) if failed else ""), "error" if failed else "ok")
    return redirect(safe_next(request.form.get("next"), url_for("console_complaints.queue")))
