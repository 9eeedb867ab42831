"""Departments (admins only): list, create, edit, retire, restore.  Every change is audited.

The rules live in ``handlers.complaints.departments``; these views turn the
form's ids into the names the service takes and commit once.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlmodel import select

from bot import db
from bot.console import bp, nav
from bot.console.auth import audit, roles_required
from bot.runtime import now
from handlers.complaints import routing
from handlers.complaints.categories import all_categories, short_name
from handlers.complaints.department_import import import_departments
from handlers.complaints.departments import (DepartmentError, DepartmentSpec, as_audit, create_department, describe,
                                             restore_department, retire_department, spec_of, update_department)
from models import Community, Department, StaffUser

nav.add("console.departments", "部门", ("admin",))
MAX_UPLOAD = 5 * 1024 * 1024


def choices() -> dict:
    """What the form offers: categories, communities and active staff accounts."""
    sess, settings = db.session(), current_app.config["LINLI"]
    staff = sess.exec(select(StaffUser).where(StaffUser.active == True)  # noqa: E712
                      .order_by(StaffUser.role, StaffUser.username)).all()
    return {"category_choices": {c.code: short_name(settings, c.code) for c in all_categories(settings)},
            "community_choices": dict(sess.exec(select(Community.id, Community.name).order_by(Community.name)).all()),
            "staff_choices": [(s.id, s.username, _staff_label(s)) for s in staff]}


def _staff_label(user: StaffUser) -> str:
    shown = user.display_name if user.display_name and user.display_name != user.username else ""
    return f"{shown}（{user.username}）" if shown else user.username


def spec_from_form(form) -> DepartmentSpec:
    sess = db.session()
    community_ids = [int(v) for v in form.getlist("communities") if v.isdigit()]
    staff_ids = [int(v) for v in form.getlist("supervisors") if v.isdigit()]
    names = sess.exec(select(Community.name).where(Community.id.in_(community_ids or [-1]))).all()
    usernames = sess.exec(select(StaffUser.username).where(StaffUser.id.in_(staff_ids or [-1]))).all()
    return DepartmentSpec(name=form.get("name", ""), categories=form.getlist("categories"),
                          communities=list(names), supervisors=list(usernames), phone=form.get("phone", ""),
                          phone_public=form.get("phone_public") == "1", hours=form.get("hours", ""))


@bp.get("/departments")
@roles_required("admin")
def departments():
    return list_page()


def list_page(spec: DepartmentSpec | None = None, status: int = 200):
    sess, settings = db.session(), current_app.config["LINLI"]
    order = (Department.retired_at.is_not(None), Department.name)
    rows = [describe(d, session=sess) for d in sess.exec(select(Department).order_by(*order))]
    return render_template("console/departments.html", rows=rows, gaps=routing.gaps(settings, session=sess), spec=spec,
                           **choices()), status


@bp.post("/departments")
@roles_required("admin")
def department_create():
    sess, spec = db.session(), spec_from_form(request.form)
    try:
        department = create_department(spec, settings=current_app.config["LINLI"], session=sess)
    except DepartmentError as exc:
        sess.rollback()
        flash(str(exc), "error")
        return list_page(spec, 400)
    audit("department.create", f"department:{department.id}", after=as_audit(spec))
    sess.commit()
    flash(f"已添加部门“{department.name}”。", "info")
    return redirect(url_for("console.departments"))


@bp.get("/departments/<int:department_id>")
@roles_required("admin")
def department_edit(department_id: int):
    department = _department(department_id)
    return render_template("console/department.html", d=department, spec=spec_of(department, session=db.session()),
                           **choices())


@bp.post("/departments/<int:department_id>")
@roles_required("admin")
def department_update(department_id: int):
    sess, department = db.session(), _department(department_id)
    before, spec = as_audit(spec_of(department, session=sess)), spec_from_form(request.form)
    try:
        update_department(department, spec, settings=current_app.config["LINLI"], session=sess)
    except DepartmentError as exc:
        sess.rollback()
        flash(str(exc), "error")
        return render_template("console/department.html", d=department, spec=spec, **choices()), 400
    audit("department.update", f"department:{department.id}", before=before, after=as_audit(spec))
    sess.commit()
    flash("已保存。", "info")
    return redirect(url_for("console.departments"))


@bp.post("/departments/<int:department_id>/retire")
@roles_required("admin")
def department_retire(department_id: int):
    sess, department = db.session(), _department(department_id)
    try:
        retire_department(department, now=now(), session=sess)
    except DepartmentError as exc:
        flash(str(exc), "error")
        return redirect(url_for("console.department_edit", department_id=department_id))
    audit("department.retire", f"department:{department.id}", after={"name": department.name})
    sess.commit()
    flash(f"部门“{department.name}”已撤销（历史诉求仍保留）。", "info")
    return redirect(url_for("console.departments"))


@bp.post("/departments/<int:department_id>/restore")
@roles_required("admin")
def department_restore(department_id: int):
    sess, department = db.session(), _department(department_id)
    restore_department(department, session=sess)
    audit("department.restore", f"department:{department.id}", after={"name": department.name})
    sess.commit()
    flash(f"部门“{department.name}”已恢复。", "info")
    return redirect(url_for("console.departments"))


@bp.post("/departments/import")
@roles_required("admin")
def department_import():
    sess, upload = db.session(), request.files.get("file")
    if upload is None or not upload.filename:
        flash("请选择 .xlsx 或 .csv 文件。", "error")
        return redirect(url_for("console.departments"))
    data = upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        flash("文件太大（最多 5 MB）。", "error")
        return redirect(url_for("console.departments"))
    result = import_departments(data, session=sess, settings=current_app.config["LINLI"], filename=upload.filename)
    if not result.ok:
        sess.rollback()
        flash(f"部门表有 {len(result.errors)} 处错误，未导入任何数据：" + "；".join(result.errors[:20]), "error")
        return redirect(url_for("console.departments"))
    audit("department.import", upload.filename[:100], after={"created": result.created, "updated": result.updated})
    sess.commit()
    flash(f"导入完成：新增 {result.created} 个部门，更新 {result.updated} 个。", "info")
    return redirect(url_for("console.departments"))


def _department(department_id: int) -> Department:
    found = db.session().get(Department, department_id)
    if found is None:
        abort(404)
    return found
