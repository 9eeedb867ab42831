"""The security review's claims (docs/SECURITY.md), each backed by a test.

Signatures, replay and hostile XML are tested where the gateway is
(tests/bot/test_gateway_hostile.py, test_gateway_safe_mode.py, test_gateway_fuzz.py);
login throttling in tests/bot/console/test_auth.py.  Here: CSRF on every
console form, cross-community access, security headers, secrets and personal
data kept out of logs, session cookie flags in production.
"""
from __future__ import annotations

import logging
import re
from datetime import datetime, timezone

import pytest
from sqlmodel import select

from bot import PROJECT_ROOT, create_app
from bot.devtools.wechat_client import SimulatedWeChat
from handlers.households.roster import import_roster
from models import Complaint, ComplaintPhoto
from tests.fixtures.app import FIXED_NOW
from tests.fixtures.console import csrf_token, login
from tests.fixtures.households import csv_bytes, roster_rows
from tests.fixtures.wechat import ACCOUNT, APP_ID, flask_transport

# Distinctive values: if any of them shows up in a log line, it leaked.
SECRETS = {"app": {"secret_key": "Zq7-app-session-secret-8Hk2"},
           "wechat": {"app_secret": "Zq7AppSecretWx0000000000000000aa", "token": "Zq7TokenSecret2026",
                      "encoding_aes_key": "Zq7EncodingAesKeySecretForTheLeakTest012345"}}
DB_PASSWORD = "Zq7DbPassw0rd"


# --------------------------------------------------------------------- CSRF
def console_post_rules(app) -> list[str]:
    """Every POST route of the console, the H5 pages and the dev pages, with ids filled in as 1."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule == "/wechat" or rule.rule.startswith("/open311"):
            continue
        urls.append(re.sub(r"<(?:[a-z]+:)?[a-z_]+>", "1", rule.rule))
    return sorted(set(urls))


def test_every_form_post_without_csrf_token_is_refused(client, app, staff_user):
    admin = staff_user("admin")
    login(client, admin)
    urls = console_post_rules(app)
    assert "/console/logout" in urls and "/h5/surveys/1" in urls and len(urls) > 20
    for url in urls:
        resp = client.post(url, data={"anything": "1"})
        assert resp.status_code == 400, (url, resp.status_code)
        resp = client.post(url, data={"csrf_token": "forged." + "x" * 40})
        assert resp.status_code == 400, (url, resp.status_code)


# ------------------------------------------------------- cross-community access
@pytest.fixture
def two_communities(db_session, seed_community, publish_run, clock, staff_user):
    mine = seed_community("甲小区")
    theirs = seed_community("乙小区")
    run = publish_run(theirs.community)
    now = datetime.fromtimestamp(clock.now, timezone.utc)
    complaint = Complaint(ticket="SP20261118-0001", state="submitted", openid="oTheirs", description="乙小区的问题",
                          community_id=theirs.community.id, created_at=now, updated_at=now)
    db_session.add(complaint)
    db_session.flush()
    photo = ComplaintPhoto(complaint_id=complaint.id, media_id="m-theirs", status="stored",
                           storage_key="complaints/x.jpg", thumb_key="complaints/x_t.jpg", received_at=now)
    db_session.add(photo)
    db_session.commit()
    worker = staff_user("worker", communities=["甲小区"])
    return {"worker": worker, "household": theirs.households[0], "complaint": complaint, "photo": photo,
            "run": run, "their_owner": theirs.households[0].owner_name}


def test_worker_cannot_reach_another_communitys_records(client, two_communities):
    t = two_communities
    login(client, t["worker"])
    hid, cid, pid, rid = t["household"].id, t["complaint"].id, t["photo"].id, t["run"].id
    for url in [f"/console/households/{hid}", f"/console/complaints/{cid}", f"/console/complaints/photo/{pid}",
                f"/console/complaints/photo/{pid}?thumb=1", f"/console/surveys/runs/{rid}",
                f"/console/surveys/runs/{rid}/export.xlsx", f"/console/surveys/runs/{rid}/not-answered",
                f"/console/surveys/runs/{rid}/report", f"/console/surveys/runs/{rid}/paper"]:
        assert client.get(url).status_code in (403, 404), url
    token = csrf_token(client, "/console/")
    for url, data in [(f"/console/households/{hid}", {"status": "vacant"}),
                      (f"/console/households/{hid}/unmask", {}),
                      (f"/console/complaints/{cid}/act", {"action": "accept"}),
                      (f"/console/complaints/{cid}/hide", {}),
                      (f"/console/complaints/photo/{pid}/redact", {}),
                      (f"/console/surveys/runs/{rid}/close", {}),
                      (f"/console/surveys/runs/{rid}/paper", {})]:
        assert client.post(url, data={"csrf_token": token, **data}).status_code in (403, 404), url
    for url in ["/console/households", "/console/complaints/", "/console/surveys/"]:
        page = client.get(url).get_data(as_text=True)
        assert t["their_owner"] not in page and "乙小区的问题" not in page and "SP20261118-0001" not in page, url


# ------------------------------------------------------------ security headers
def test_security_headers_on_console_h5_and_dev_pages(client):
    for url in ["/console/login", "/console/", "/h5/articles/1", "/h5/surveys/1", "/dev/simulator/", "/healthz",
                "/static/does-not-exist.css"]:
        resp = client.get(url)
        assert resp.headers.get("X-Frame-Options") == "DENY", url
        assert resp.headers.get("X-Content-Type-Options") == "nosniff", url
        csp = resp.headers.get("Content-Security-Policy", "")
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "default-src 'self'" in csp, url
        assert "unsafe-eval" not in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0], url


# ---------------------------------------------------- production configuration
def production_app(make_app):
    return make_app({"app": {"env": "production", "secret_key": "a-real-long-random-session-key-9f3k2"},
                     "wechat": {"app_secret": "0123456789abcdef0123456789abcdef", "token": "RealToken7Hq2Ld9Xc"}})


def test_session_cookie_flags_in_production(make_app, staff_user):
    app = production_app(make_app)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    client = app.test_client()
    worker = staff_user("worker")
    page = client.get("/console/login", base_url="https://linli.example")
    token = re.search(r'name="csrf_token"\s+value="([^"]+)"', page.get_data(as_text=True)).group(1)
    resp = client.post("/console/login", base_url="https://linli.example",
                       headers={"Referer": "https://linli.example/console/login"}, data={"csrf_token": token, "username": worker.username, "password": worker.password})
    assert resp.status_code in (302, 303)
    cookie = next(v for k, v in resp.headers.items() if k == "Set-Cookie" and v.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/dev/simulator/", base_url="https://linli.example").status_code == 404


def test_production_refuses_placeholder_secrets(make_app):
    from bot.config import ConfigError
    with pytest.raises(ConfigError, match="placeholder secrets refused"):
        make_app({"app": {"env": "production", "secret_key": "dev-insecure-secret-key"}})


# ------------------------------------------------------------- secrets in logs
def all_log_text(caplog) -> str:
    return "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)


def test_secrets_never_logged(make_app, database_url, caplog, tmp_path, staff_user, clock):
    caplog.set_level(logging.DEBUG)
    # Start-up with a PostgreSQL URL carrying a password (nothing connects before a request).
    create_app({"config_path": str(PROJECT_ROOT / "config.toml"), "app": {"env": "testing", **SECRETS["app"]},
                "wechat": SECRETS["wechat"], "media": {"dir": str(tmp_path / "m")},
                "database": {"url": f"postgresql+psycopg://linli:{DB_PASSWORD}@127.0.0.1:1/linli"}}
               ).extensions["linli.engine"].dispose()
    app = make_app({"app": SECRETS["app"], "wechat": SECRETS["wechat"]})
    client = app.test_client()
    wechat = SimulatedWeChat(transport=flask_transport(client), token=SECRETS["wechat"]["token"], app_id=APP_ID,
                             account=ACCOUNT, encoding_aes_key=SECRETS["wechat"]["encoding_aes_key"], clock=clock)
    assert wechat.text("oSecretsResident", "加装电梯每户出多少钱")[0] == 200
    assert client.post("/wechat?timestamp=1&nonce=2&signature=bad", data=b"<xml/>").status_code == 403
    worker = staff_user("worker")
    login(client, worker)
    client.post("/console/login", data={"csrf_token": csrf_token(client), "username": "x", "password": "pw-typed"})
    text = all_log_text(caplog)
    assert "wechat: refused 403" in text  # logging was on, so the check means something
    for value in [*SECRETS["app"].values(), *SECRETS["wechat"].values(), DB_PASSWORD, worker.password,
                  "pw-typed"]:
        assert value not in text, f"secret {value[:6]}... appeared in the logs"


def test_access_token_request_does_not_log_the_app_secret(make_app, fake_wechat, caplog, clock):
    caplog.set_level(logging.DEBUG)
    app = make_app({"wechat": {**SECRETS["wechat"], "encoding_aes_key": "", "api_base_url": fake_wechat.url}})
    fake_wechat.state.app_secret = SECRETS["wechat"]["app_secret"]
    from bot.wechat.api import get_api
    with app.app_context():
        api = get_api()
        api.send_custom("oSecretsResident", {"text": "您好"})
    assert any(c["path"].endswith("custom/send") for c in fake_wechat.calls)
    text = all_log_text(caplog)
    assert SECRETS["wechat"]["app_secret"] not in text


# ------------------------------------------------------ personal data in logs
def test_roster_and_binding_never_log_names_or_phones(wechat, db_session, community, caplog):
    caplog.set_level(logging.DEBUG)
    rows = roster_rows()
    assert import_roster(csv_bytes(rows), session=db_session, filename="r.csv").ok
    db_session.commit()
    for text in ["绑定", "1", "1", "1单元201", "1", "张002", "0002"]:
        assert wechat.text("oPrivacyResident", text)[0] == 200
    text = all_log_text(caplog)
    for row in rows:
        owner, phone = row[4], row[5]
        assert owner not in text and phone not in text, "personal data in the logs"
