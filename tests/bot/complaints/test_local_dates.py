"""Dates people read are in ``[app] timezone`` and by the event that matters (issue 20 item 2)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from models import localtime
from surveys.stats.detail import progress
from tests.fixtures.console import community_named, login

HOME = "幸福里小区"
# 2026-12-03 20:30 UTC is 2026-12-04 04:30 in Beijing; the draft was started two days before.
SUBMITTED = datetime(2026, 12, 3, 20, 30, tzinfo=timezone.utc)


def submitted_late_at_night(db_session, make_complaint, department, clock):
    department()
    cid = community_named(db_session, HOME).id
    db_session.commit()
    clock.now = SUBMITTED.timestamp()
    complaint = make_complaint(community_id=cid)
    complaint.created_at = SUBMITTED - timedelta(days=2)
    db_session.commit()
    return complaint


@pytest.mark.browser
def test_daily_chart_counts_the_beijing_day_of_submission(live_server, page, staff_user, db_session, make_complaint,
                                                          department, clock):
    submitted_late_at_night(db_session, make_complaint, department, clock)
    worker = staff_user("worker", communities=[HOME])
    page.goto(live_server + "/console/login")
    page.fill("input[name=username]", worker.username)
    page.fill("input[name=password]", worker.password)
    page.click("button[type=submit]")
    page.wait_for_url(live_server + "/console/")
    page.goto(live_server + "/console/complaints/figures?period=all")
    assert page.inner_text("p.hint:has-text('最多一天')").startswith("2026-12-04 至 2026-12-04")
    page.goto(live_server + "/console/complaints/")
    assert "12-04 04:30" in page.inner_text("table")


def test_the_configured_zone_is_the_one_shown(make_app, db_session, make_complaint, department, clock, staff_user):
    app = make_app({"app": {"timezone": "America/New_York"}})
    try:
        submitted_late_at_night(db_session, make_complaint, department, clock)
        worker = staff_user("worker", communities=[HOME])
        client = app.test_client()
        login(client, worker)
        html = client.get("/console/complaints/figures?period=all").get_data(as_text=True)
        assert "2026-12-03 至 2026-12-03" in html  # 15:30 in New York
    finally:
        localtime.use_zone(localtime.DEFAULT_ZONE)


def test_helpers_read_local_days_and_write_excel_cells():
    assert localtime.local_date(SUBMITTED) == date(2026, 12, 4)
    assert localtime.show(SUBMITTED) == "2026-12-04 04:30"
    assert localtime.excel(SUBMITTED) == datetime(2026, 12, 4, 4, 30)
    assert localtime.stamp(SUBMITTED) == "202612040430"
    assert localtime.day_start(date(2026, 12, 4)) == datetime(2026, 12, 3, 16, 0, tzinfo=timezone.utc)
    assert progress([SUBMITTED, SUBMITTED + timedelta(hours=1)]) == [
        {"date": "2026-12-04", "ballots": 2, "cumulative": 2}]


def test_households_export_file_is_named_by_the_local_time(client, staff_user, clock):
    clock.now = SUBMITTED.timestamp()
    login(client, staff_user("admin"))
    resp = client.get("/console/households.xlsx")
    assert "households-202612040430.xlsx" in resp.headers["Content-Disposition"]
