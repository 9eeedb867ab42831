"""The issue's walk-through in headless Chromium against a real server."""
import pytest
from sqlmodel import select

from handlers.households.membership import request_binding
from handlers.households.roster import import_roster
from models import AuditLog, Binding, Community, Household, OutboundMessage, Resident
from tests.fixtures.households import csv_bytes, roster_rows

pytestmark = pytest.mark.browser


def log_in(page, base, user):
    page.goto(base + "/console/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", user.password)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/console/")


def upload(page, base, name, data):
    page.goto(base + "/console/roster")
    page.set_input_files("input[type=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector("#roster-errors, #roster-result")


def test_upload_bad_then_fixed_roster_and_approve_a_binding(live_server, page, staff_user, db_session, community):
    worker = staff_user("worker", communities=["幸福里小区"])
    log_in(page, live_server, worker)
    rows = roster_rows()
    rows[3][3] = ""
    upload(page, live_server, "花名册.csv", csv_bytes(rows, encoding="gbk"))
    assert "第5行，“房号”：不能为空" in page.inner_text("#roster-errors")
    rows[3][3] = "201"
    upload(page, live_server, "花名册.csv", csv_bytes(rows, encoding="gbk"))
    assert "导入成功：共 12 户，新增 12" in page.inner_text("#roster-result")

    household = db_session.exec(select(Household).where(Household.room == "101")).first()
    resident = Resident(openid="oBrowserResident")
    db_session.add(resident)
    db_session.flush()
    request_binding(resident=resident, household=household, role="owner", claimed_name="张三", session=db_session)
    db_session.commit()

    page.goto(live_server + "/console/bindings")
    page.click("#binding-requests button[value=approve]")
    page.wait_for_selector("text=已通过")
    assert "没有待审核的申请" in page.inner_text("#binding-requests")
    db_session.expire_all()
    assert db_session.exec(select(Binding.household_id)).all() == [household.id]
    assert db_session.exec(select(OutboundMessage.openid)).all() == ["oBrowserResident"]
    db_session.commit()

    page.goto(live_server + f"/console/households/{household.id}")
    assert "张*" in page.inner_text("#residents") or "居民#" in page.inner_text("#residents")


def test_worker_gets_404_for_another_communitys_households(live_server, page, staff_user, db_session, community):
    other = Community(name="和平里小区")
    db_session.add(other)
    db_session.commit()
    assert import_roster(csv_bytes(roster_rows(community="和平里小区")), session=db_session, filename="r.csv").ok
    db_session.commit()
    theirs = db_session.exec(select(Household).where(Household.community_id == other.id)).first()
    db_session.commit()
    log_in(page, live_server, staff_user("worker", communities=["幸福里小区"]))
    response = page.goto(live_server + f"/console/households/{theirs.id}")
    assert response.status == 404
    response = page.goto(live_server + f"/console/households?community={other.id}")
    assert response.status == 404
    page.goto(live_server + "/console/households")
    assert "和平里小区" not in page.content()


def test_large_upload_runs_in_the_background_with_progress(live_app, live_server, page, staff_user, community):
    live_app.config["ROSTER_INLINE_MAX_BYTES"] = 0  # every file goes through the background path
    log_in(page, live_server, staff_user("admin"))
    upload(page, live_server, "big.csv", csv_bytes(roster_rows(buildings=10, units=4, rooms=25)))
    assert "导入成功：共 1000 户，新增 1000" in page.inner_text("#roster-result")


def test_household_page_approves_a_second_owner_and_ends_a_binding(live_server, page, staff_user, db_session,
                                                                    roster):
    household = db_session.exec(select(Household).where(Household.unit == "1", Household.room == "201")).first()
    first = Resident(openid="oFirstOwnerBrowser", name="李四", phone="13912345678")
    claimant = Resident(openid="oSecondOwnerBrowser", name="王五")
    db_session.add_all([first, claimant])
    db_session.flush()
    db_session.add(Binding(resident_id=first.id, household_id=household.id, role="owner", verified_by="roster",
                           verified_at=household.updated_at, created_at=household.updated_at))
    request_binding(resident=claimant, household=household, role="owner", claimed_name="",
                    reason="second_owner", proof="phone", session=db_session)
    db_session.commit()
    worker = staff_user("worker", communities=["幸福里小区"])
    log_in(page, live_server, worker)

    page.goto(live_server + f"/console/households/{household.id}")
    residents = page.inner_text("#residents")
    assert "李*" in residents and "139****5678" in residents and "产权人" in residents and "李四" not in residents
    claims = page.inner_text("#household-requests")
    assert "王*" in claims and "已有产权人绑定" in claims and "手机后四位相符" in claims
    page.click("#household-requests button[value=approve]")
    page.wait_for_selector("text=已通过")
    assert page.url.endswith(f"/console/households/{household.id}")
    assert page.locator("#household-requests").count() == 0
    assert page.locator("#residents tbody tr", has_text="产权人").count() == 2

    row = page.locator("#residents tr[data-binding]", has_text="李*")
    row.locator("input[name=reason]").fill("房屋已出售")
    row.locator("button", has_text="解除绑定").click()
    page.wait_for_selector("text=已解除绑定")
    ended = page.locator("#residents tr[data-binding]", has_text="李*").inner_text()
    assert "已解绑" in ended and f"工作人员 {worker.username}：房屋已出售" in ended

    db_session.expire_all()
    told = {m.openid: m.payload["text"] for m in db_session.exec(select(OutboundMessage))}
    db_session.commit()
    assert "审核通过" in told["oSecondOwnerBrowser"]
    assert "原因：房屋已出售" in told["oFirstOwnerBrowser"]
    audits = db_session.exec(select(AuditLog.action).order_by(AuditLog.id)).all()
    db_session.commit()
    assert [a for a in audits if a.startswith("binding.")] == ["binding.approve", "binding.end"]


def test_roster_page_offers_a_template_that_imports_once_filled_in(live_server, page, staff_user, db_session,
                                                                     community, tmp_path):
    from openpyxl import load_workbook

    log_in(page, live_server, staff_user("worker", communities=["幸福里小区"]))
    page.goto(live_server + "/console/roster")
    with page.expect_download() as info:
        page.click("#roster-template")
    path = tmp_path / "template.xlsx"
    info.value.save_as(path)
    sheet = load_workbook(path).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["小区", "楼栋", "单元", "房号", "户主姓名", "联系电话", "状态", "面积", "产权人证件号"]
    assert len(rows) == 3
    # Unchanged, the examples name no real community: importing them adds nothing.
    assert not import_roster(path.read_bytes(), session=db_session, filename="t.xlsx").ok
    db_session.rollback()
    for row in range(2, 4):
        sheet.cell(row=row, column=1, value="幸福里小区")
    sheet.parent.save(path)
    upload_xlsx = path.read_bytes()
    page.goto(live_server + "/console/roster")
    page.set_input_files("input[type=file]", files=[{"name": "花名册.xlsx", "buffer": upload_xlsx,
                                                     "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector("#roster-errors, #roster-result")
    assert "导入成功：共 2 户，新增 2" in page.inner_text("#roster-result")
