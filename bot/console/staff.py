"""Staff accounts (admins only): list, create, deactivate.  Every change is audited."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlmodel import select
from werkzeug.security import generate_password_hash

from bot import db
from bot.console import bp
from bot.console.auth import audit, current_staff, roles_required
from bot.urls import parse_int
from handlers.households.staff import StaffError, create_staff, set_active
from models import Community, Department, StaffCommunity, StaffUser


@bp.get("/staff")
@roles_required("admin")
def staff_list():
    sess = db.session()
    users = sess.exec(select(StaffUser).order_by(StaffUser.role, StaffUser.username)).all()
    communities = {c.id: c.name for c in sess.exec(select(Community))}
    departments = {d.id: d.name for d in sess.exec(select(Department).order_by(Department.name))}
    open_departments = {d.id: d.name for d in sess.exec(select(Department).where(Department.retired_at.is_(None))
                                                       .order_by(Department.name))}
    served: dict[int, list[str]] = {}
    for link in sess.exec(select(StaffCommunity)):
        served.setdefault(link.staff_id, []).append(communities.get(link.community_id, ""))
    return render_template("console/staff.html", users=users, served=served, communities=communities,
                           departments=departments, open_departments=open_departments)


@bp.post("/staff")
@roles_required("admin")
def staff_create():
    sess, form = db.session(), request.form
    password = form.get("password", "")
    if len(password) < 8:
        flash("密码至少 8 位。", "error")
        return redirect(url_for("console.staff_list"))
    ids = [v for v in map(parse_int, form.getlist("communities")) if v is not None]
    names = [c.name for c in sess.exec(select(Community).where(Community.id.in_(ids)))]
    department_id = parse_int(form.get("department"))
    department = sess.get(Department, department_id) if department_id is not None else None
    try:
        user = create_staff(username=form.get("username", "").strip(), role=form.get("role", ""),
                            password_hash=generate_password_hash(password), communities=names,
                            department=department.name if department else None,
                            display_name=form.get("display_name", "").strip()[:64], session=sess)
    except StaffError as exc:
        flash(str(exc), "error")
        return redirect(url_for("console.staff_list"))
    audit("staff.create", f"staff:{user.id}", after={"username": user.username, "role": user.role,
                                                      "communities": names, "department_id": user.department_id})
    sess.commit()
    flash(f"已创建账号 {user.username}。", "info")
    return redirect(url_for("console.staff_list"))


@bp.post("/staff/<int:staff_id>/active")
@roles_required("admin")
def staff_toggle(staff_id: int):
    sess = db.session()
    user = sess.get(StaffUser, staff_id)
    if user is None:
        abort(404)
    if user.id == current_staff().id:
        flash("不能停用自己的账号。", "error")
        return redirect(url_for("console.staff_list"))
    before = {"active": user.active}
    set_active(user, not user.active, session=sess)
    audit("staff.update", f"staff:{user.id}", before=before, after={"active": user.active})
    sess.commit()
    return redirect(url_for("console.staff_list"))
