"""In headless Chromium: an admin sets up a department; a worker's complaint reaches it by category and community."""
from __future__ import annotations

import pytest

from tests.bot.complaints.test_browser_complaints import log_in
from tests.fixtures.console import StaffAccount

pytestmark = pytest.mark.browser
HOME, OTHER = "幸福里小区", "和平里小区"


def enter_complaint(page, base, community: str, category: str, text: str) -> str:
    """The worker's 代居民登记 form (auto-dispatch is on by default); returns the flash message."""
    page.goto(base + "/console/complaints/new")
    page.select_option("select[name=community_id]", label=community)
    page.select_option("select[name=category]", label=category)
    page.fill("textarea[name=description]", text)
    assert page.is_checked("input[name=dispatch]")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("#state")
    return page.inner_text(".flash")


def test_admin_department_receives_its_category_in_its_community_only(live_server, page, browser, staff_user):
    worker = staff_user("worker", communities=[HOME, OTHER])
    admin_page = browser.new_context(locale="zh-CN").new_page()
    log_in(admin_page, live_server, staff_user("admin"))
    admin_page.click("nav >> text=部门")
    admin_page.fill("#department-form input[name=name]", "燃气公司")
    admin_page.check("#department-form input[name=categories][value=safety]")
    admin_page.check("#department-form input[name=categories][value=water]")
    admin_page.select_option("#department-form select[name=communities]", label=HOME)
    admin_page.fill("#department-form input[name=phone]", "0311-96577")
    admin_page.click("#department-form button[type=submit]")
    admin_page.wait_for_selector("text=已添加部门“燃气公司”")
    row = admin_page.locator("tr[data-department=燃气公司]").inner_text()
    assert "安全隐患、供水排水" in row and HOME in row and OTHER not in row
    admin_page.goto(live_server + "/console/staff")  # an account for the new department
    admin_page.fill("input[name=username]", "gas1")
    admin_page.fill("input[name=password]", "Gas-pass-2024")
    admin_page.select_option("select[name=role]", "department")
    admin_page.select_option("select[name=department]", label="燃气公司")
    admin_page.click("section.card button[type=submit]")
    admin_page.wait_for_selector("text=已创建账号 gas1")
    admin_page.context.close()

    log_in(page, live_server, worker)
    said = enter_complaint(page, live_server, HOME, "供水排水", "5号楼下水管漏水")
    assert "已按类别派给燃气公司" in said and page.inner_text("#state") == "已派单"
    assert "燃气公司" in page.inner_text("main table") and "人工指定" not in page.inner_text("main table")
    ours = page.inner_text("h1").split()[1]
    said = enter_complaint(page, live_server, OTHER, "供水排水", "和平里3号楼水管漏水")
    assert "该类别在本小区没有承办部门" in said and page.inner_text("#state") == "待审核"
    theirs = page.inner_text("h1").split()[1]
    page.goto(live_server + f"/console/complaints/?ticket={theirs}")
    page.click(f"a:has-text('{theirs}')")
    assert page.is_visible("#no-route")  # the worker is told why nothing is preselected
    page.goto(live_server + "/console/")
    gaps = page.inner_text("#route-gaps")
    assert f"供水排水：{OTHER}，1 件待派单" in gaps and HOME not in gaps.split("供水排水")[1].split("\n")[0]

    dept_page = browser.new_context(locale="zh-CN").new_page()
    log_in(dept_page, live_server, StaffAccount(id=0, username="gas1", role="department", password="Gas-pass-2024"))
    dept_page.goto(live_server + "/console/complaints/")
    queue = dept_page.inner_text("#queue")
    assert ours in queue and theirs not in queue
    assert HOME in dept_page.locator(f"tr[data-ticket='{ours}']").inner_text()  # issue 20 item 1
    dept_page.click(f"a:has-text('{ours}')")
    assert dept_page.is_visible("form[data-action=sign]")
    dept_page.context.close()
