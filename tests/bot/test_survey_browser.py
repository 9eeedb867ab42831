"""The surveys walk-through in headless Chromium: an admin builds a template with a
condition and publishes it, a resident answers on the H5 page, a worker reads the
figures and downloads the Excel file."""
import io
import json

import pytest
from openpyxl import load_workbook

from surveys import links
from tests.fixtures.surveys import sample_definition

pytestmark = pytest.mark.browser


def log_in(page, base, user):
    page.goto(base + "/console/login")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", user.password)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/console/")


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
    page.fill("#import-form textarea[name=json]", json.dumps(base, ensure_ascii=False, indent=2))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#add-question")
    page.fill("#add-question input[name=code]", "reason")
    page.select_option("#add-question select[name=type]", "single")
    page.fill("#add-question input[name=title]", "不同意的主要原因是？")
    page.fill("#add-question textarea[name=options]", "cost=担心出资\nnoise=担心施工扰民\nother=其他")
    page.select_option("#add-question select[name=cond_question]", "agree")
    page.select_option("#add-question select[name=cond_op]", "equals")
    page.fill("#add-question input[name=cond_value]", "no")
    page.click("#add-question button[type=submit]")
    page.wait_for_selector("#question-list")
    assert "reason" in page.inner_text("#question-list") and "有显示条件" in page.inner_text("#question-list")
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
    assert not h5.is_visible("#q-reason")  # shown only after "不同意"
    h5.check("input[name=agree][value=no]")
    assert h5.is_visible("#q-reason")
    h5.check("input[name=reason][value=noise]")
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
