"""Issue 17 item 6: console sessions end on the server, and after a working day or an idle hour.

A "captured" cookie is a second test client holding a copy of the first's
session cookie: what someone who copied it before logout would hold.
"""
from __future__ import annotations

import pytest
from sqlmodel import select

from models import StaffUser
from tests.fixtures.console import csrf_token, login


def copy_of(app, client):
    """A second browser holding the same session cookie."""
    thief = app.test_client()
    cookie = client.get_cookie("session")
    thief.set_cookie(cookie.key, cookie.value)
    return thief


def logged_in(client) -> bool:
    return client.get("/console/households").status_code == 200


def test_a_cookie_copied_before_logout_no_longer_opens_the_console(app, client, staff_user):
    login(client, staff_user("worker", communities=["幸福里小区"]))
    thief = copy_of(app, client)
    assert logged_in(thief)
    client.post("/console/logout", data={"csrf_token": csrf_token(client, "/console/")})
    assert not logged_in(client)
    assert not logged_in(thief)


def test_disabling_an_account_ends_its_sessions_for_good(app, client, staff_user, db_session):
    worker = staff_user("worker", communities=["幸福里小区"])
    login(client, worker)
    admin_client = app.test_client()
    login(admin_client, staff_user("admin"))
    toggle = f"/console/staff/{worker.id}/active"
    admin_client.post(toggle, data={"csrf_token": csrf_token(admin_client, "/console/")})
    assert not logged_in(client)
    admin_client.post(toggle, data={"csrf_token": csrf_token(admin_client, "/console/")})  # enabled again
    assert not logged_in(client)  # the old cookie stays dead


def test_a_password_change_ends_the_accounts_sessions(app, client, staff_user, db_session):
    worker = staff_user("worker", communities=["幸福里小区"])
    login(client, worker)
    result = app.test_cli_runner().invoke(args=["user", "password", worker.username], input="New-password-2026\n")
    assert result.exit_code == 0, result.output
    assert not logged_in(client)
    fresh = app.test_client()
    login(fresh, worker, password="New-password-2026")
    assert logged_in(fresh)


def test_password_change_for_an_unknown_account_fails(runner):
    result = runner.invoke(args=["user", "password", "nobody"], input="New-password-2026\n")
    assert result.exit_code != 0 and "没有账号" in result.output


def test_a_session_ends_after_the_working_day_even_when_busy(make_app, staff_user, clock):
    app = make_app({"console": {"session_hours": 10, "idle_minutes": 60}})
    client = app.test_client()
    login(client, staff_user("worker", communities=["幸福里小区"]))
    for _ in range(19):  # a request every 30 minutes for 9.5 hours
        clock.advance(1800)
        assert logged_in(client)
    clock.advance(1800 + 1)
    assert not logged_in(client)


def test_a_session_ends_after_an_idle_hour(make_app, staff_user, clock):
    app = make_app({"console": {"session_hours": 10, "idle_minutes": 60}})
    client = app.test_client()
    login(client, staff_user("worker", communities=["幸福里小区"]))
    clock.advance(59 * 60)
    assert logged_in(client)
    clock.advance(61 * 60)
    assert not logged_in(client)


def test_the_cookie_itself_expires_with_the_working_day(make_app, staff_user):
    app = make_app({"console": {"session_hours": 10}})
    client = app.test_client()
    resp = login(client, staff_user("worker", communities=["幸福里小区"]))
    cookie = next(v for k, v in resp.headers.items() if k == "Set-Cookie" and v.startswith("session="))
    assert "Expires=" in cookie
    assert app.permanent_session_lifetime.total_seconds() == 10 * 3600


def test_changing_ones_own_password_keeps_this_session_and_ends_the_others(app, client, staff_user):
    worker = staff_user("worker", communities=["幸福里小区"])
    login(client, worker)
    other_device = copy_of(app, client)
    assert "修改密码" in client.get("/console/password").get_data(as_text=True)
    wrong = client.post("/console/password", data={"csrf_token": csrf_token(client, "/console/password"),
                                                   "current": "not-it", "new": "New-password-2026",
                                                   "confirm": "New-password-2026"})
    assert wrong.status_code == 400 and "当前密码不正确" in wrong.get_data(as_text=True)
    resp = client.post("/console/password", data={"csrf_token": csrf_token(client, "/console/password"),
                                                  "current": worker.password, "new": "New-password-2026",
                                                  "confirm": "New-password-2026"})
    assert resp.status_code == 302
    assert logged_in(client)
    assert not logged_in(other_device)
    again = app.test_client()
    login(again, worker, password="New-password-2026")
    assert logged_in(again)
