"""Pages people read and print carry no English codes (issue 20 item 3), walked in headless Chromium.

The demo data (what ``scripts/run`` loads) plus a satisfaction run, a resident's
complaint and a few logins: then every page below must read in Chinese.  A
code-like token is a lower-case ASCII word of 3+ letters or underscores standing
alone (``agree``, ``staff.login``, ``resident:1``); parts of file names and
addresses (``demo-roster.csv``) are data, not codes.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from bot.demo import load_demo
from models import Community, Complaint
from models.surveys import SurveyRun, SurveyTemplate
from surveys import runs

pytestmark = pytest.mark.browser
CODE = re.compile(r"(?<![\w./@-])[a-z_]{3,}(?:[.:][a-z_0-9]+)*(?![\w/@-]|\.\w)", re.ASCII)


def codes_in(text: str) -> list[str]:
    return sorted({t for t in CODE.findall(text) if re.search("[a-z]", t)})  # not the ____ signature lines


def log_in(page, base, username, password):
    page.goto(base + "/console/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/console/")


def visible_text(page) -> str:
    return page.inner_text("main") if page.locator("main").count() else page.inner_text("body")


@pytest.fixture
def demo(live_app, db_session, make_complaint, clock):
    with live_app.app_context():
        list(load_demo(live_app))
    community = db_session.exec(select(Community)).one()
    satisfaction = db_session.exec(select(SurveyTemplate).where(SurveyTemplate.phase == "satisfaction")).one()
    now = datetime.fromtimestamp(clock.now, timezone.utc)
    runs.publish(satisfaction.id, community.id, session=db_session, now=now, closes_at=now + timedelta(days=7),
                 actor="demo_admin")
    db_session.commit()
    make_complaint(category="environment", description="5号楼楼道灯不亮", community_id=community.id, openid="oRes")
    return community


def test_read_and_printed_pages_show_no_codes(live_server, page, demo, db_session):
    log_in(page, live_server, "demo_worker", "Linli-worker-2024")
    page.context.clear_cookies()
    log_in(page, live_server, "demo_admin", "Linli-admin-2024")
    pages = []
    for run_id in db_session.exec(select(SurveyRun.id)).all():
        pages += [f"/console/surveys/runs/{run_id}", f"/console/surveys/runs/{run_id}/report",
                  f"/console/surveys/runs/{run_id}/paper"]
    pages += [f"/console/complaints/{cid}" for cid in db_session.exec(select(Complaint.id)).all()]
    pages += ["/console/audit", "/console/complaints/", "/console/complaints/figures", "/console/households/1",
              "/console/surveys/runs/1/not-answered", "/console/", "/console/publicity"]
    found = {}
    for path in pages:
        page.goto(live_server + path)
        text = visible_text(page)
        assert text.strip(), path
        if codes_in(text):
            found[path] = codes_in(text)
    assert found == {}

    page.goto(live_server + "/console/audit")
    audit = page.inner_text("#audit")
    assert "登录" in audit and "导入花名册" in audit and "发布调查" in audit
    assert "社区工作人员 d" in audit  # a worker by role and masked name
    page.goto(live_server + "/console/surveys/runs/1/report")
    assert "（“您是否同意本小区纳入老旧小区改造计划？”选同意）" in page.inner_text("#gate-yes")
    page.goto(live_server + "/console/surveys/runs/2/paper")
    assert "可上传问题照片（选填，有条件）" in page.inner_text("#paper-form")  # not “（选填）（有条件）”
    resident_complaint = db_session.exec(select(Complaint).where(Complaint.openid == "oRes")).one()
    page.goto(f"{live_server}/console/complaints/{resident_complaint.id}")
    assert "提交 · 居民" in page.inner_text("#timeline")


def test_the_token_rule_catches_what_the_issue_saw():
    assert codes_in("agree · 您是否同意") == ["agree"]
    assert codes_in("（题目 agree：yes）") == ["agree", "yes"]
    assert codes_in("overall：very_satisfied") == ["overall", "very_satisfied"]
    assert codes_in("2026-12-04 08:00 staff.login") == ["staff.login"]
    assert codes_in("提交 · resident:1") == ["resident:1"]
    assert codes_in("花名册 demo-roster.csv；导出 Excel；盖章：__________") == []
