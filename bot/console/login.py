"""Log in and out, with throttling per username+IP (``[console] login_attempts`` in ``login_window_s``)."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import login_user, logout_user
from sqlalchemy import delete, func
from sqlmodel import select
from werkzeug.security import check_password_hash, generate_password_hash

from bot import db
from bot.urls import safe_next
from bot.console import bp
from bot.console.auth import audit, client_ip, current_staff, now, principal
from models import LoginFailure, StaffUser

# Compared against when the username is unknown, so both cases take as long.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


def settings() -> dict:
    return current_app.config["LINLI"]["console"]


def throttle_key(username: str) -> str:
    return f"{username.strip().lower()[:64]}|{client_ip()}"


def recent_failures(key: str) -> int:
    since = now() - timedelta(seconds=int(settings()["login_window_s"]))
    query = select(func.count()).select_from(LoginFailure).where(LoginFailure.key == key, LoginFailure.at > since)
    return db.session().exec(query).one()


def authenticate(username: str, password: str) -> StaffUser | None:
    user = db.session().exec(select(StaffUser).where(StaffUser.username == username.strip())).first()
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_staff() is not None:
        return redirect(url_for("console.home"))
    if request.method == "GET":
        return render_template("console/login.html")
    username, password = request.form.get("username", ""), request.form.get("password", "")
    key = throttle_key(username)
    sess = db.session()
    if recent_failures(key) >= int(settings()["login_attempts"]):
        minutes = max(1, int(settings()["login_window_s"]) // 60)
        flash(f"登录失败次数过多，请 {minutes} 分钟后再试。", "error")
        return render_template("console/login.html", username=username), 429
    user = authenticate(username, password)
    if user is None:
        sess.add(LoginFailure(key=key, at=now()))
        sess.commit()
        flash("用户名或密码错误。", "error")
        return render_template("console/login.html", username=username), 401
    sess.exec(delete(LoginFailure).where(LoginFailure.key == key))
    login_user(principal(user))
    audit("staff.login", f"staff:{user.id}", after={"ip": client_ip()})
    sess.commit()
    return redirect(safe_next(request.args.get("next"), url_for("console.home")))


@bp.post("/logout")
def logout():
    if current_staff() is not None:
        audit("staff.logout", f"staff:{current_staff().id}")
        db.session().commit()
    logout_user()
    flash("已退出登录。", "info")
    return redirect(url_for("console.login"))
