"""Issue 17 item 5: login throttling behind nginx (``app.proxy_count``, X-Forwarded-For).

nginx connects from 127.0.0.1 and appends the client's address to
X-Forwarded-For; only as many entries as there are proxies are believed.
"""
from __future__ import annotations

import pytest
from sqlmodel import select

from models import AuditLog, LoginFailure
from tests.fixtures.console import csrf_token

NGINX = {"REMOTE_ADDR": "127.0.0.1"}
LIMITS = {"login_attempts": 3, "login_address_attempts": 5, "login_account_attempts": 6, "login_window_s": 600}


@pytest.fixture
def proxied(make_app):
    return make_app({"app": {"proxy_count": 1}, "console": LIMITS})


def attempt(app, username: str, password: str, forwarded_for: str | None) -> int:
    """One login from a fresh browser; returns the status (302 in, 401 wrong, 429 throttled)."""
    client = app.test_client()
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    token = csrf_token(client)
    resp = client.post("/console/login", data={"csrf_token": token, "username": username, "password": password},
                       environ_base=NGINX, headers=headers)
    return resp.status_code


def test_one_address_guessing_does_not_lock_the_owner_out(proxied, staff_user):
    worker = staff_user("worker")
    assert [attempt(proxied, worker.username, "wrong", "203.0.113.66") for _ in range(4)] == [401, 401, 401, 429]
    assert attempt(proxied, worker.username, worker.password, "203.0.113.66") == 429  # even the right password
    assert attempt(proxied, worker.username, worker.password, "198.51.100.7") == 302  # the owner, elsewhere


def test_spraying_one_address_across_usernames_is_limited(proxied, staff_user):
    victims = [staff_user("worker") for _ in range(6)]
    statuses = [attempt(proxied, v.username, "Spring2026!", "203.0.113.66") for v in victims]
    assert statuses == [401] * 5 + [429]
    assert attempt(proxied, victims[5].username, victims[5].password, "198.51.100.7") == 302


def test_client_written_forwarded_for_entries_are_not_believed(proxied, staff_user):
    worker = staff_user("worker")
    # The client rotates what it writes; nginx appends the real address last.
    statuses = [attempt(proxied, worker.username, "wrong", f"10.9.{n}.1, 203.0.113.66") for n in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_many_addresses_slow_an_account_but_one_cannot(proxied, staff_user):
    worker = staff_user("worker")
    for _ in range(5):  # one address: stopped at 3, so it adds only 3 to the account's count
        attempt(proxied, worker.username, "wrong", "203.0.113.66")
    assert attempt(proxied, worker.username, worker.password, "198.51.100.7") == 302
    for _ in range(3):  # a second address brings the account to 6 failures: now everyone waits
        attempt(proxied, worker.username, "wrong", "203.0.113.67")
    assert attempt(proxied, worker.username, worker.password, "198.51.100.8") == 429


def test_window_passes(proxied, staff_user, clock):
    worker = staff_user("worker")
    for _ in range(3):
        attempt(proxied, worker.username, "wrong", "203.0.113.66")
    assert attempt(proxied, worker.username, worker.password, "203.0.113.66") == 429
    clock.advance(601)
    assert attempt(proxied, worker.username, worker.password, "203.0.113.66") == 302


def test_without_proxies_forwarded_for_is_ignored(make_app, staff_user):
    app = make_app({"console": LIMITS})  # app.proxy_count = 0, the default
    worker = staff_user("worker")
    statuses = [attempt(app, worker.username, "wrong", f"203.0.113.{n}") for n in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_the_audit_log_records_the_client_not_nginx(proxied, staff_user, db_session):
    worker = staff_user("worker")
    assert attempt(proxied, worker.username, worker.password, "10.9.9.9, 198.51.100.7") == 302
    logins = db_session.exec(select(AuditLog).where(AuditLog.action == "staff.login")).all()
    assert [row.after for row in logins] == [{"ip": "198.51.100.7"}]


def test_proxy_count_also_gives_the_scheme(proxied):
    seen = {}

    def inner(environ, start_response):  # stands where the Flask app sits behind ProxyFix
        seen.update(addr=environ["REMOTE_ADDR"], scheme=environ["wsgi.url_scheme"])
        start_response("204 No Content", [])
        return [b""]
    proxied.wsgi_app.app = inner
    proxied.test_client().get("/", environ_base=NGINX, headers={"X-Forwarded-For": "1.2.3.4, 198.51.100.7",
                                                                 "X-Forwarded-Proto": "https"})
    assert seen == {"addr": "198.51.100.7", "scheme": "https"}


def test_failures_older_than_the_window_are_removed(proxied, staff_user, clock, db_session):
    worker = staff_user("worker")
    attempt(proxied, worker.username, "wrong", "203.0.113.66")
    clock.advance(601)
    attempt(proxied, worker.username, "wrong", "203.0.113.67")
    keys = sorted(row.key for row in db_session.exec(select(LoginFailure)))
    assert keys == sorted(["pair:203.0.113.67|" + worker.username, "addr:203.0.113.67", "acct:" + worker.username])
