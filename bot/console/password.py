"""A staff member changes their own password; every other session of the account ends."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_user
from werkzeug.security import check_password_hash, generate_password_hash

from bot import db
from bot.console import bp
from bot.console.auth import audit, current_staff, login_required, principal, start_session
from handlers.households.staff import change_password
from models import StaffUser

MIN_LENGTH = 8


@bp.get("/password")
@login_required
def password_form():
    return render_template("console/password.html")


@bp.post("/password")
@login_required
def password_change():
    """Check the current password, set the new one, and keep only this session open."""
    sess, form = db.session(), request.form
    user = sess.get(StaffUser, current_staff().id)
    problem = password_problem(user, form.get("current", ""), form.get("new", ""), form.get("confirm", ""))
    if problem:
        flash(problem, "error")
        return render_template("console/password.html"), 400
    change_password(user, generate_password_hash(form["new"]), session=sess)
    audit("staff.password", f"staff:{user.id}")
    sess.commit()
    login_user(principal(user))  # the new session key: the old cookie, and every copy of it, is dead
    start_session()
    flash("密码已修改，其他设备上的登录已失效。", "info")
    return redirect(url_for("console.home"))


def password_problem(user: StaffUser, current: str, new: str, confirm: str) -> str | None:
    if not check_password_hash(user.password_hash, current):
        return "当前密码不正确。"
    if len(new) < MIN_LENGTH:
        return f"新密码至少 {MIN_LENGTH} 位。"
    if new != confirm:
        return "两次输入的新密码不一致。"
    return None
