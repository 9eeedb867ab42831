"""In headless Chromium: a worker writes a notice to one building and sees its delivery figures."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import log_in
from tests.fixtures.fakewechat import APP_SECRET
from tests.fixtures.notices import bound, long_ago

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app_overrides(fake_wechat, tmp_path):
    return {"wechat": {"api_base_url": fake_wechat.url, "app_secret": APP_SECRET, "api_timeout_s": 2.0},
            "outbox": {"rate_per_s": 1000.0, "templates": {}},
            "clock": {"lock_path": str(tmp_path / "clock.lock")}}


def test_worker_writes_a_notice_to_one_building_and_sees_it_delivered(
        live_server, live_app, page, staff_user, db_session, roster, run_job, clock):
    clock.now = long_ago().timestamp() + 5 * 24 * 3600  # the residents were seen "now"
    for openid, unit, room in [("oA", "1", "101"), ("oB", "1", "101"), ("oC", "2", "202")]:
        bound(db_session, openid, "1号楼", unit, room)
    bound(db_session, "oFar", "1号楼", "2", "302", last_seen=long_ago())  # no template configured: waits
    bound(db_session, "oOther", "2号楼", "1", "101")
    log_in(page, live_server, staff_user("worker", communities=["幸福里小区"]))
    page.goto(live_server + "/console/notices")
    page.select_option("select[name=scope]", label="幸福里小区 · 1号楼")
    page.select_option("select[name=kind]", label="停水")
    page.fill("input[name=title]", "明日停水")
    page.fill("textarea[name=body]", "明天 8:00-12:00 1号楼停水检修。")
    page.click("#notice-form button[type=submit]")
    page.wait_for_url(live_server + "/console/notices")
    expect(page.locator("p.flash")).to_contain_text("已发给 4 位居民")
    row = page.locator("#notices tr", has_text="明日停水")
    expect(row.locator(".recipients")).to_have_text("4")
    expect(row.locator(".sent")).to_have_text("0")
    run_job("outbox.deliver", on_app=live_app)
    page.reload()
    row = page.locator("#notices tr", has_text="明日停水")
    expect(row.locator(".sent")).to_have_text("3")
    expect(row.locator(".waiting")).to_have_text("1")
    expect(row.locator(".failed")).to_have_text("0")
    expect(row).to_contain_text("1号楼")
