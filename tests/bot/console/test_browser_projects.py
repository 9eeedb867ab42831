"""Projects in headless Chromium: an admin moves a stage and adds a progress photo, the city overview by stage,
and the resident's H5 project page on a 375 px phone."""
import io
import os
from datetime import datetime, timezone

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlmodel import select

from bot import runtime
from bot.demo import load_demo
from handlers.projects import editing, links
from models import Binding, Community, Household, ProjectItem, Resident
from models.projects import ItemPhoto, ProjectStage, ensure_project, stages_of
from tests.bot.console.test_browser_no_codes import codes_in
from tests.fixtures.browser import LOADED, log_in
from tests.fixtures.console import StaffAccount

pytestmark = pytest.mark.browser


def jpeg(colour=(90, 140, 190)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(out, "JPEG")
    return out.getvalue()


def test_admin_moves_a_stage_and_adds_a_progress_photo(live_server, page, staff_user, seed_community, db_session):
    seeded = seed_community("浏览器小区")
    project = ensure_project(seeded.community.id, session=db_session)
    db_session.commit()
    log_in(page, live_server, staff_user("admin"))
    page.goto(f"{live_server}/console/projects/{seeded.community.id}")
    row = page.locator("tr[data-stage='意愿征询']")
    row.locator("select[name=status]").select_option(label="进行中")
    row.locator("input[name=planned_end]").fill("2026-06-30")
    row.locator("button").click()
    expect(page.locator("body")).to_contain_text("已保存“意愿征询”阶段")
    expect(page.locator("tr[data-stage='申报/纳入计划'] select[name=status]")).to_have_value("done")
    db_session.expire_all()
    stage = {s.name: s for s in stages_of(project.id, session=db_session)}["意愿征询"]
    assert stage.status == "active" and str(stage.planned_end) == "2026-06-30"
    db_session.commit()

    page.fill("#new-item input[name=name]", "屋面防水")
    page.click("#new-item button[type=submit]")
    page.wait_for_url(f"{live_server}/console/projects/items/**")
    page.set_input_files("#photos input[type=file]", files=[{"name": "现场.jpg", "mimeType": "image/jpeg",
                                                             "buffer": jpeg()}])
    page.fill("#photos input[name=caption]", "防水层铺设")
    page.click("#photos button[type=submit]")
    expect(page.locator("body")).to_contain_text("已添加进度照片")
    image = page.locator("#photos figure img").first
    assert image.evaluate(LOADED)
    assert "防水层铺设" in page.inner_text("#photos")
    assert db_session.exec(select(ItemPhoto.caption)).all() == ["防水层铺设"]


def test_city_overview_lists_communities_by_stage(live_server, page, staff_user, db_session):
    for name, district, stage_name in (("东区小区", "新华区 幸福街道", "施工"), ("西区小区", "新华区 幸福街道", None),
                                       ("南区小区", "长安区 建设街道", "施工")):
        community = Community(name=name, district=district)
        db_session.add(community)
        db_session.flush()
        project = ensure_project(community.id, session=db_session)
        if stage_name:
            stage = db_session.exec(select(ProjectStage).where(ProjectStage.project_id == project.id,
                                                               ProjectStage.name == stage_name)).one()
            editing.update_stage(stage, session=db_session, status="active")
    db_session.commit()
    log_in(page, live_server, staff_user("admin"))
    page.click("nav >> text=改造项目")
    page.wait_for_url(f"{live_server}/console/projects")
    expect(page.locator("#by-stage li[data-stage='施工']")).to_have_text("施工：2 个小区")
    expect(page.locator("#by-stage li[data-stage='申报/纳入计划']")).to_have_text("申报/纳入计划：1 个小区")
    streets = page.locator("section[data-street]")
    expect(streets).to_have_count(2)
    assert page.inner_text("tr[data-community='南区小区'] td.stage") == "施工（进行中）"
    assert "西区小区" in page.inner_text("section[data-street='新华区 幸福街道']")


def test_resident_project_page_on_a_phone(live_server, live_app, browser, seed_community, bind_resident, db_session,
                                          clock, render, tmp_path):
    seeded = seed_community("手机小区")
    project = ensure_project(seeded.community.id, session=db_session)
    now = datetime.fromtimestamp(clock.now, timezone.utc)
    item = editing.save_item(ProjectItem(project_id=project.id),
                             {"name": "雨污管网改造和道路恢复（北区主干道）", "progress": 55, "status": "working",
                              "contractor": "冀安建设工程有限公司", "contractor_phone": "13931100001"},
                             session=db_session, now=now, render=render)
    editing.add_photo(item, jpeg(), session=db_session, storage=runtime.services(live_app).storage,
                      now=now, by="t", caption="管道铺设")
    db_session.commit()
    resident = bind_resident(seeded.households[0], "o-phone")
    token = links.make_token(live_app.config["LINLI"]["app"]["secret_key"], resident_id=resident.id, now_s=clock.now)
    phone = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 812})
    h5 = phone.new_page()
    h5.goto(f"{live_server}/h5/project?t={token}")
    expect(h5.locator("[data-current-stage]")).to_have_text("现在：申报/纳入计划（进行中）")
    expect(h5.locator(".timeline .stage")).to_have_count(7)
    assert h5.locator(".photos img").first.evaluate(LOADED)
    assert h5.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert float(h5.evaluate("() => getComputedStyle(document.documentElement).fontSize")[:-2]) >= 18
    assert "139****0001" in h5.inner_text(".item") and "13931100001" not in h5.content()
    h5.click(".item button.follow")
    expect(h5.locator(".item button.follow")).to_have_text("已关注（点此取消）")
    h5.screenshot(path=os.environ.get("LINLI_PROJECT_H5_SCREENSHOT") or str(tmp_path / "project_h5.png"),
                  full_page=True)
    phone.close()


def test_project_pages_show_no_codes(live_server, live_app, page, browser, db_session, clock):
    with live_app.app_context():
        list(load_demo(live_app))
    community = db_session.exec(select(Community)).one()
    items = db_session.exec(select(ProjectItem.id)).all()
    log_in(page, live_server, StaffAccount(id=0, username="demo_admin", role="admin", password="Linli-admin-2024"))
    found = {}
    for path in ["/console/projects", f"/console/projects/{community.id}",
                 *[f"/console/projects/items/{i}" for i in items]]:
        page.goto(live_server + path)
        found.update({path: codes_in(page.inner_text("main"))} if codes_in(page.inner_text("main")) else {})
    resident = Resident(openid="o-codes")
    db_session.add(resident)
    db_session.flush()
    household = db_session.exec(select(Household).where(Household.community_id == community.id)).first()
    db_session.add(Binding(resident_id=resident.id, household_id=household.id, verified_by="roster"))
    db_session.commit()
    token = links.make_token(live_app.config["LINLI"]["app"]["secret_key"], resident_id=resident.id, now_s=clock.now)
    page.goto(f"{live_server}/h5/project?t={token}")
    assert page.locator(".item").count() == 4
    found.update({"h5": codes_in(page.inner_text("main"))} if codes_in(page.inner_text("main")) else {})
    assert found == {}
