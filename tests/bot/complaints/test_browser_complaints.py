"""In headless Chromium: dispatch, resolve with an after-photo, overdue flags, other community shut out."""
from __future__ import annotations

import pytest
from sqlmodel import select

from bot import runtime
from handlers.complaints import staffwork
from models import Complaint
from tests.fixtures.browser import LOADED, log_in
from tests.fixtures.complaints import jpeg_with_metadata
from tests.fixtures.console import community_named

pytestmark = pytest.mark.browser
HOME, OTHER = "幸福里小区", "和平里小区"


def home_complaint(db_session, make_complaint, department, **kw):
    department()
    cid = community_named(db_session, HOME).id
    db_session.commit()
    return make_complaint(community_id=cid, **kw)


def test_worker_dispatches_and_department_resolves_with_after_photo(live_server, page, browser, staff_user,
                                                                     db_session, make_complaint, department):
    complaint = home_complaint(db_session, make_complaint, department)
    worker = staff_user("worker", communities=[HOME])
    log_in(page, live_server, worker)
    page.goto(live_server + "/console/complaints/")
    page.check(f"input[name=ids][value='{complaint.id}']")
    page.click("#bulk-dispatch")
    page.wait_for_selector("text=已派单 1 件")
    page.click(f"a:has-text('{complaint.ticket}')")
    assert page.inner_text("#state") == "已派单"

    dept_page = browser.new_context(locale="zh-CN").new_page()
    log_in(dept_page, live_server, staff_user("department", department="物业公司"))
    dept_page.goto(live_server + f"/console/complaints/{complaint.id}")
    dept_page.click("form[data-action=sign] button[type=submit]")
    dept_page.wait_for_selector("form[data-action=resolve]")
    dept_page.set_input_files("form[data-action=resolve] input[type=file]",
                              files=[{"name": "after.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_metadata()}])
    dept_page.fill("form[data-action=resolve] textarea[name=note]", "杂物已清运")
    dept_page.click("form[data-action=resolve] button[type=submit]")
    dept_page.wait_for_selector("text=已保存")
    assert dept_page.inner_text("#state") == "已处理待评价"
    assert "杂物已清运" in dept_page.inner_text("#timeline")
    after = dept_page.locator("img[alt=处理后照片]")
    assert after.evaluate(LOADED)
    dept_page.context.close()


def test_overdue_complaint_is_flagged(live_server, page, staff_user, db_session, make_complaint, department, clock):
    complaint = home_complaint(db_session, make_complaint, department)
    worker = staff_user("worker", communities=[HOME])
    log_in(page, live_server, worker)
    page.goto(live_server + "/console/complaints/?overdue=1")
    assert "没有符合条件" in page.inner_text("#queue")
    clock.advance(5 * 86400)  # past the review time limit of one working day
    log_in(page, live_server, worker)  # five days on, yesterday's console session has ended
    page.goto(live_server + "/console/complaints/?overdue=1")
    row = page.locator(f"tr[data-ticket='{complaint.ticket}']")
    assert "已超时" in row.inner_text() and "overdue" in row.get_attribute("class")
    page.goto(live_server + f"/console/complaints/{complaint.id}")
    assert page.inner_text("#overdue-flag") == "已超时"


def test_worker_of_another_community_gets_404_for_complaint_and_photo(live_server, page, staff_user, db_session,
                                                                       make_complaint, department, complaint_env,
                                                                       app):
    complaint = home_complaint(db_session, make_complaint, department)
    photo = staffwork.attach_upload(complaint, jpeg_with_metadata(), env=complaint_env(),
                                    storage=runtime.services(app).storage, kind="before")
    db_session.commit()
    log_in(page, live_server, staff_user("worker", communities=[OTHER]))
    for path in (f"/console/complaints/{complaint.id}", f"/console/complaints/photo/{photo.id}",
                 f"/console/complaints/photo/{photo.id}?thumb=1"):
        assert page.goto(live_server + path).status in (403, 404)
    page.goto(live_server + "/console/complaints/")
    assert complaint.ticket not in page.content()
    assert db_session.exec(select(Complaint)).one().state == "submitted"
