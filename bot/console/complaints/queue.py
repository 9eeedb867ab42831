"""The queue: filters (state, category, community, department, overdue), paging, bulk dispatch."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from sqlmodel import func, select

from bot import db
from bot.complaints.services import current_env
from bot.console.auth import audit, current_staff, roles_required
from bot.console.complaints import STAFF_ROLES, WORKERS, bp, viewer_actor, viewer_scope, visible_complaint
from handlers.complaints import categories, queries
from handlers.complaints.calendar import LOCAL
from handlers.complaints.deadlines import OPEN_STATES
from handlers.complaints.labels import STATE_LABELS
from handlers.complaints.lifecycle import TransitionError, transition
from models import Community, Complaint, ComplaintPhoto, Department, DepartmentCommunity


def filters_from(args) -> queries.Filters:
    def int_or_none(name):
        value = args.get(name, "")
        return int(value) if value.isdigit() else None
    def text(name):  # PostgreSQL refuses NUL in text (a 500 on the queue and the export otherwise)
        return args.get(name, "").replace("\x00", "")
    return queries.Filters(state=text("state"), category=text("category"),
                           community_id=int_or_none("community"), department_id=int_or_none("department"),
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
    page_no = max(1, request.args.get("page", "1").isdigit() and int(request.args.get("page", "1")) or 1)
    size = int(current_app.config["LINLI"]["console"]["page_size"])
    rows, total = queries.page(env.session, viewer_scope(), filters, env.now, offset=(page_no - 1) * size, limit=size)
    pending = dict(env.session.exec(select(ComplaintPhoto.complaint_id, func.count()).where(
        ComplaintPhoto.complaint_id.in_([c.id for c in rows] or [-1]), ComplaintPhoto.status == "pending")
        .group_by(ComplaintPhoto.complaint_id)).all())
    return render_template("console/complaints/queue.html", rows=rows, total=total, page=page_no, size=size,
                           filters=filters, args=request.args.to_dict(), pending=pending, now=env.now, tz=LOCAL,
                           open_states=OPEN_STATES, can_dispatch=current_staff().role in WORKERS, **lookups())


@bp.post("/bulk-dispatch")
@roles_required(*WORKERS)
def bulk_dispatch():
    env = current_env()
    ids = [int(v) for v in request.form.getlist("ids") if v.isdigit()]
    department_id = request.form.get("department_id", "")
    done, failed = 0, []
    for complaint_id in ids:
        complaint = visible_complaint(complaint_id)
        try:
            with env.session.begin_nested():
                transition(complaint, "dispatch", env=env, actor=viewer_actor(),
                           department_id=int(department_id) if department_id.isdigit() else None)
            audit("complaint.dispatch", f"complaint:{complaint.id}", community_id=complaint.community_id)
            done += 1
        except TransitionError as exc:
            failed.append(f"{complaint.ticket}：{exc}")
    env.session.commit()
    flash(f"已派单 {done} 件" + ("；未派：" + "；".join(failed) if failed else ""), "error" if failed else "ok")
    return redirect(request.form.get("next") or url_for("console_complaints.queue"))
