"""Log in and out, with throttling per account and address, per address, and per account (``[console]``)."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user
from sqlalchemy import delete, func
from sqlmodel import select
from werkzeug.security import check_password_hash, generate_password_hash

from bot import db
from bot.console import bp
from bot.console.auth import audit, client_ip, current_staff, principal, start_session
from bot.runtime import now
from bot.urls import safe_next
from handlers.households.staff import revoke_sessions
from models import LoginFailure, StaffUser

# Compared against when the username is unknown, so both cases take as long.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


def settings() -> dict:
    return current_app.config["LINLI"]["console"]


def throttle_limits(username: str) -> dict[str, int]:
    """The counters a login attempt is checked against, each with its limit in ``login_window_s``.

    Per account *and* address (a guesser is stopped, the owner elsewhere is
    not); per address (spraying one password across usernames); per account
    from all addresses together, set high: one address adds at most
    ``login_attempts`` to it, so it takes many addresses to lock an account.
    """
    name, address, s = username.strip().lower()[:64], client_ip()[:64], settings()
    return {f"pair:{address}|{name}": int(s["login_attempts"]), f"addr:{address}": int(s["login_address_attempts"]),
            f"acct:{name}": int(s["login_account_attempts"])}


def window_start():
    return now() - timedelta(seconds=int(settings()["login_window_s"]))


def throttled(limits: dict[str, int]) -> bool:
    since = window_start()
    query = (select(LoginFailure.key, func.count()).where(LoginFailure.key.in_(list(limits)), LoginFailure.at > since)
             .group_by(LoginFailure.key))
    counts = dict(db.session().exec(query).all())
    return any(counts.get(key, 0) >= limit for key, limit in limits.items())


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
    limits = throttle_limits(username)
    sess = db.session()
    if throttled(limits):
        minutes = max(1, int(settings()["login_window_s"]) // 60)
        flash(f"登录失败次数过多，请 {minutes} 分钟后再试。", "error")
        return render_template("console/login.html", username=username), 429
    user = authenticate(username, password)
    if user is None:
        sess.exec(delete(LoginFailure).where(LoginFailure.at <= window_start()))  # the table holds one window
        sess.add_all([LoginFailure(key=key, at=now()) for key in limits])
        sess.commit()
        flash("用户名或密码错误。", "error")
        return render_template("console/login.html", username=username), 401
    sess.exec(delete(LoginFailure).where(LoginFailure.key == next(iter(limits))))  # this address's own count
    login_user(principal(user))
    start_session()
    audit("staff.login", f"staff:{user.id}", after={"ip": client_ip()})
    sess.commit()
    return redirect(safe_next(request.args.get("next"), url_for("console.home")))


@bp.post("/logout")
def logout():
    """End the session here and on the server: the account's other sessions (a copied cookie too) end with it."""
    staff = current_staff()
    if staff is not None:
        user = db.session().get(StaffUser, staff.id)
        revoke_sessions(user)
        db.session().add(user)
        audit("staff.logout", f"staff:{staff.id}")
        db.session().commit()
    logout_user()
    session.clear()
    flash("已退出登录。", "info")
    return redirect(url_for("console.login"))
