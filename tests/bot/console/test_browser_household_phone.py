"""Phones in the console: the roster upload and the household form refuse a 7-digit mobile the same way."""
import pytest
from playwright.sync_api import expect
from sqlmodel import select

from models import AuditLog, Household
from tests.bot.console.test_browser_console import log_in, upload
from tests.fixtures.households import csv_bytes, roster_rows

pytestmark = pytest.mark.browser


def test_roster_upload_names_the_row_of_a_short_mobile(live_server, page, staff_user, db_session, community):
    log_in(page, live_server, staff_user("worker", communities=["幸福里小区"]))
    rows = roster_rows()
    rows[2][5] = "1391111"
    upload(page, live_server, "花名册.csv", csv_bytes(rows))
    errors = page.inner_text("#roster-errors")
    assert "第4行，“联系电话”：“1391111”不是有效的手机号：手机号应为11位数字（这里是7位）" in errors
    assert db_session.exec(select(Household)).all() == []
    db_session.commit()


def test_household_form_checks_and_normalises_a_new_phone(live_server, page, staff_user, db_session, roster):
    household = db_session.exec(select(Household).where(Household.unit == "1", Household.room == "101")).first()
    db_session.commit()
    log_in(page, live_server, staff_user("worker", communities=["幸福里小区"]))
    page.goto(live_server + f"/console/households/{household.id}")
    assert page.get_attribute("input[name=phone]", "placeholder").startswith("138****0001")

    page.fill("input[name=phone]", "1391111")
    page.click("form.filters button[type=submit]")
    assert "手机号应为11位数字（这里是7位）" in page.inner_text("#phone-error")
    assert "未保存" in page.inner_text("#phone-error")
    db_session.expire_all()
    assert db_session.get(Household, household.id).phone == "13800000001"
    db_session.commit()

    page.fill("input[name=phone]", "0311 8555-1234 转 801")
    page.click("form.filters button[type=submit]")
    expect(page.locator("#phone")).to_have_text("031********4801")  # waits for the page after the POST
    assert page.url.endswith(f"/console/households/{household.id}")
    assert page.locator("#phone-error").count() == 0
    db_session.expire_all()
    assert db_session.get(Household, household.id).phone == "0311-85551234转801"
    change = db_session.exec(select(AuditLog).where(AuditLog.action == "household.update")).one()
    db_session.commit()
    assert change.before["phone"] == "138****0001" and change.after["phone"] == "031********4801"
