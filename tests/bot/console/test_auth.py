"""Console login, roles, CSRF and throttling through the test client."""
from sqlmodel import select

from models import AuditLog
from tests.fixtures.console import csrf_token, login


def test_console_root_shows_login_when_logged_out(client):
    resp = client.get("/console/", follow_redirects=True)
    assert resp.status_code == 200
    assert "工作人员登录" in resp.get_data(as_text=True)


def test_login_and_logout(client, staff_user, db_session):
    admin = staff_user("admin")
    login(client, admin)
    page = client.get("/console/").get_data(as_text=True)
    assert "您好" in page
    client.post("/console/logout", data={"csrf_token": csrf_token(client, "/console/")})
    assert client.get("/console/").status_code == 302
    actions = [row.action for row in db_session.exec(select(AuditLog)).all()]
    assert actions == ["staff.login", "staff.logout"]


def test_wrong_password_is_refused(client, staff_user):
    worker = staff_user("worker")
    resp = client.post("/console/login", data={"csrf_token": csrf_token(client), "username": worker.username,
                                                "password": "nope"})
    assert resp.status_code == 401
    assert "用户名或密码错误" in resp.get_data(as_text=True)


def test_post_without_csrf_token_is_refused(client, staff_user):
    worker = staff_user("worker")
    resp = client.post("/console/login", data={"username": worker.username, "password": worker.password})
    assert resp.status_code == 400
    assert "页面已过期" in resp.get_data(as_text=True)


def test_login_is_throttled_per_username_and_ip(make_app, staff_user, clock):
    app = make_app({"console": {"login_attempts": 3, "login_window_s": 600}})
    client = app.test_client()
    worker = staff_user("worker")
    for _ in range(3):
        client.post("/console/login", data={"csrf_token": csrf_token(client), "username": worker.username,
                                             "password": "wrong"})
    token = csrf_token(client)
    good = {"csrf_token": token, "username": worker.username, "password": worker.password}
    assert client.post("/console/login", data=good).status_code == 429
    other = app.test_client()
    assert other.post("/console/login", data={**good, "csrf_token": csrf_token(other)},
                      environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 302
    clock.advance(601)
    assert client.post("/console/login", data=good).status_code == 302


def test_wechat_gateway_is_not_subject_to_csrf(wechat):
    status, _ = wechat.text("oCsrfExemptResident", "你好")
    assert status == 200


def test_open_redirect_is_ignored(client, staff_user):
    worker = staff_user("worker")
    token = csrf_token(client)
    resp = client.post("/console/login?next=//evil.example/x", data={"csrf_token": token,
                       "username": worker.username, "password": worker.password})
    assert resp.headers["Location"].endswith("/console/")
