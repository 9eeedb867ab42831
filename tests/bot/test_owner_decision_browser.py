"""An elevator decision in headless Chromium: an admin publishes it for one stairwell, owners answer on the
H5 page (seeing their share of the cost), a worker reads the live figures and downloads the evidence pack."""
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from surveys import links
from tests.fixtures.browser import log_in
from tests.fixtures.owners import flat

pytestmark = pytest.mark.browser


def test_publish_answer_and_download_evidence(live_server, live_app, page, browser, stairwell, staff_user,
                                              bind_resident, db_session, clock):
    owners = [bind_resident(flat(db_session, "3号楼", "2", room), f"o-{room}") for room in ("101", "301")]
    db_session.rollback()
    admin, worker = staff_user("admin"), staff_user("worker", communities=["业主小区"])

    log_in(page, live_server, admin)
    page.goto(f"{live_server}/console/surveys/templates/{stairwell.id}")
    page.select_option("#publish-form select[name=community_id]", label="业主小区")
    page.select_option("#publish-form select[name=rule]", "owners_special")
    page.fill("#publish-form input[name=scope]", "3号楼/2单元")
    page.fill("#publish-form input[name=closes]", "2030-01-01T08:00")
    page.click("#publish-form button[type=submit]")
    page.wait_for_url("**/console/surveys/runs/*")
    expect(page.locator("#owners-total")).to_have_text("6 人")
    assert page.inner_text("#owners-scope") == "3号楼2单元"
    run_id = int(page.url.rstrip("/").split("/")[-1])

    secret = live_app.config["LINLI"]["app"]["secret_key"]
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 800})
    h5 = phone.new_page()
    for owner, share in zip(owners, ("您家1楼，预计分摊约 0 元", "您家3楼，预计分摊约 94118 元")):
        token = links.make_token(secret, resident_id=owner.id, run_id=run_id, now_s=clock.now)
        h5.goto(f"{live_server}/h5/surveys/{run_id}?t={token}")
        assert share in h5.inner_text("#cost-share")
        h5.check("input[name=agree][value=yes]")
        h5.click("button.submit")
        h5.wait_for_selector(".success")
    phone.close()

    page.context.clear_cookies()
    log_in(page, live_server, worker)
    page.goto(f"{live_server}/console/surveys/runs/{run_id}")
    expect(page.locator("#owners-voted")).to_contain_text("2 人")
    expect(page.locator("#area-voted")).to_contain_text("215.75 平方米")  # A's two flats and 301
    assert "还需 2 位业主" in page.inner_text("#owners-decision")
    assert "丙**" in page.inner_text("#owners-not-voted")
    with page.expect_download() as download:
        page.click("#evidence-xlsx")
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    decision = dict(book["决定"].iter_rows(min_row=2, values_only=True))
    assert (decision["参与表决业主（人）"], decision["同意业主（人）"], decision["表决结果"]) == (2, 2, "未通过")
    assert len(list(book["表决票"].iter_rows(min_row=2))) == 2
