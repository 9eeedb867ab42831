"""The surveys walk-through in headless Chromium: an admin builds a template with a
condition and publishes it, a resident answers on the H5 page, a worker reads the
figures and downloads the Excel file."""
import io
import json

import pytest
from openpyxl import load_workbook

from surveys import links
from tests.fixtures.browser import log_in
from tests.fixtures.surveys import sample_definition

pytestmark = pytest.mark.browser


def test_build_publish_answer_and_export(live_server, live_app, page, browser, staff_user, seed_community,
                                         bind_resident, db_session, clock):
    seeded = seed_community("浏览器小区")
    resident = bind_resident(seeded.households[0], "o-browser")
    admin = staff_user("admin")
    worker = staff_user("worker", communities=["浏览器小区"])

    log_in(page, live_server, admin)
    page.goto(live_server + "/console/surveys/templates")
    base = sample_definition()
    base["questions"] = [q for q in base["questions"] if q["code"] != "reason"]  # the builder adds it below
    page.set_input_files("#import-form input[type=file]", files=[{
        "name": "模板.json", "mimeType": "application/json", "buffer": json.dumps(base, ensure_ascii=False).encode()}])
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#add-question")
    page.select_option("#add-question select[name=type]", "single")
    page.fill("#add-question input[name=title]", "不同意的主要原因是？")
    page.fill("#add-question textarea[name=options]", "担心出资\n担心施工扰民\n其他")
    page.select_option("#add-question select[name=condition]", label="仅当第1题选“不同意”")
    page.click("#add-question button[type=submit]")
    page.wait_for_selector("#question-list")
    added = page.inner_text("#question-list li:last-child")
    assert "不同意的主要原因是？" in added and "第1题选“不同意”时填写" in added
    page.select_option("#publish-form select[name=community_id]", label="浏览器小区")
    page.fill("#publish-form input[name=closes]", "2030-01-01T08:00")
    page.click("#publish-form button[type=submit]")
    page.wait_for_selector("#eligible")
    assert page.inner_text("#eligible") == "9"
    run_id = int(page.url.rstrip("/").split("/")[-1])

    token = links.make_token(live_app.config["LINLI"]["app"]["secret_key"], resident_id=resident.id, run_id=run_id,
                             now_s=clock.now)
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 800})
    h5 = phone.new_page()
    h5.goto(f"{live_server}/h5/surveys/{run_id}?t={token}")
    reason = h5.locator("fieldset", has_text="不同意的主要原因是？")
    assert not reason.is_visible()  # shown only after "不同意"
    h5.check("input[name=agree][value=no]")
    assert reason.is_visible()
    reason.get_by_label("担心施工扰民").check()
    h5.check("input[name=items][value=pipes]")
    h5.fill("textarea[name=comment]", "施工请避开午休时间")
    h5.click("button.submit")
    h5.wait_for_selector(".success")
    assert "提交成功" in h5.inner_text(".success")
    phone.close()

    page.context.clear_cookies()
    log_in(page, live_server, worker)
    page.goto(f"{live_server}/console/surveys/runs/{run_id}")
    assert page.inner_text("#ballots").startswith("1")
    assert page.inner_text("#gate-yes").startswith("0")
    with page.expect_download() as download:
        page.click("#export-xlsx")
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))["答卷"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == 1 and rows[0][4] == "网页" and "施工请避开午休时间" in rows[0]
