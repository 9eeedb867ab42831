"""In headless Chromium: the complaint map (inline SVG, nothing from outside) and the building positions form."""
from __future__ import annotations

import os

import pytest

from handlers.complaints.env import Actor
from tests.fixtures.browser import log_in
from tests.fixtures.complaints import WORKER
from tests.fixtures.console import community_named

pytestmark = pytest.mark.browser
LAT, LNG = 38.0418, 114.5041
M = 1 / 111_320  # about a metre of latitude, in degrees
OTHER = "和平里小区"


def outside_requests(page, base) -> list[str]:
    """Every request the page makes that does not go to our own server."""
    seen: list[str] = []
    page.on("request", lambda req: None if req.url.startswith(base) else seen.append(req.url))
    return seen


def complaints_in_several_states(roster, make_complaint, department, complaint_env) -> dict:
    """At 1号楼: two environment reports (a hot spot); at 2号楼: a facility report and a closed one."""
    from handlers.complaints.lifecycle import transition
    dept = department(categories=("environment", "facility"))
    actor = Actor("d", "department", dept.id)
    done = [("dispatch", WORKER, {}), ("sign", actor, {}), ("resolve", actor, {"note": "已清理"})]
    rows = {"review": make_complaint(community_id=roster.id, openid="oA", description="1号楼楼道堆满杂物"),
            "working": make_complaint(community_id=roster.id, openid="oB", description="1号楼门口垃圾没人收",
                                      steps=done[:2]),
            "facility": make_complaint(community_id=roster.id, openid="oC", category="facility",
                                       description="2号楼路灯不亮"),
            "closed": make_complaint(community_id=roster.id, openid="oD", description="2号楼东侧杂物", steps=done)}
    transition(rows["closed"], "rate", env=complaint_env(), actor=Actor.resident(rows["closed"].resident_id),
               result="solved")
    return rows


def test_admin_sets_positions_and_reads_the_map_with_hot_spots(live_server, page, staff_user, db_session, roster,
                                                               make_complaint, department, complaint_env, tmp_path):
    rows = complaints_in_several_states(roster, make_complaint, department, complaint_env)
    closed = rows["closed"]
    db_session.commit()
    outside = outside_requests(page, live_server)
    log_in(page, live_server, staff_user("admin"))
    page.click("nav >> text=诉求地图")
    assert "还画不出平面图" in page.inner_text("#plan-empty")
    page.click("text=设置楼栋位置")
    page.fill("tr[data-building='1号楼'] input[aria-label='1号楼 列']", "1")
    page.fill("tr[data-building='1号楼'] input[aria-label='1号楼 行']", "1")
    page.fill("tr[data-building='2号楼'] input[aria-label='2号楼 列']", "3")
    page.click("#positions button[type=submit]")
    page.wait_for_selector("text=没有保存")
    assert "2号楼：平面位置要两个数都填" in page.inner_text(".flash.error")
    page.fill("tr[data-building='2号楼'] input[aria-label='2号楼 行']", "1")
    page.screenshot(path=os.environ.get("LINLI_MAP_FORM_SCREENSHOT") or str(tmp_path / "positions.png"), full_page=True)
    page.click("#positions button[type=submit]")
    page.wait_for_selector("text=楼栋位置已保存")

    assert "按管理员设置的楼栋平面位置绘制" in page.inner_text("#plan-source")
    assert page.locator("#plan .building").count() == 2
    assert page.locator("#plan a.marker").count() == 4
    marker = page.locator(f"#plan a.marker[data-ticket='{rows['review'].ticket}']")
    tip = marker.locator("title").text_content()
    assert rows["review"].ticket in tip and "环境卫生" in tip and "待审核" in tip and "1号楼" in tip
    legend = page.inner_text("#legend")
    for words in ("待审核", "办理中", "待评价", "已办结", "不予受理或已合并"):
        assert words in legend
    hot = page.locator("#hot-spots tr[data-category=environment]")
    assert "1号楼" in hot.inner_text() and hot.locator(".count").inner_text() == "2"
    assert rows["working"].ticket in hot.inner_text()
    page.screenshot(path=os.environ.get("LINLI_MAP_SCREENSHOT") or str(tmp_path / "map.png"), full_page=True)

    page.select_option("select[name=state]", "closed")
    page.click("#map-filters button[type=submit]")
    page.wait_for_url(lambda url: "state=closed" in url)  # .all() does not wait for the new page
    assert [m.get_attribute("data-ticket") for m in page.locator("#plan a.marker").all()] == [closed.ticket]
    page.select_option("select[name=state]", "")
    page.select_option("select[name=category]", "facility")
    page.click("#map-filters button[type=submit]")
    page.wait_for_url(lambda url: "category=facility" in url)
    assert [m.get_attribute("data-ticket") for m in page.locator("#plan a.marker").all()] == [rows["facility"].ticket]
    marker = page.locator("#plan a.marker").first
    marker.click()
    page.wait_for_selector("#state")
    assert rows["facility"].ticket in page.content()
    assert outside == [] and page.locator("script").count() == 0


def test_without_positions_the_map_is_drawn_from_the_complaints_coordinates(live_server, page, staff_user,
                                                                            db_session, roster, make_complaint,
                                                                            department, tmp_path):
    department()
    here = [make_complaint(community_id=roster.id, openid=f"o{n}", lat=LAT + n * 15 * M, lng=LNG)
            for n in range(3)]
    far = make_complaint(community_id=roster.id, openid="oFar", category="parking", lat=LAT + 150 * M, lng=LNG)
    other = make_complaint(community_id=community_named(db_session, OTHER).id, openid="oOther", lat=LAT, lng=LNG)
    db_session.commit()
    outside = outside_requests(page, live_server)
    log_in(page, live_server, staff_user("worker", communities=[roster.name]))
    resp = page.goto(live_server + "/console/complaints/map")
    assert "script-src 'self'" in resp.headers["content-security-policy"]
    assert "按诉求的照片定位或居民发送的位置绘制" in page.inner_text("#plan-source")
    tickets = {m.get_attribute("data-ticket") for m in page.locator("#plan a.marker").all()}
    assert tickets == {c.ticket for c in here + [far]}
    assert "米" in page.locator("#plan .scale").text_content()
    hot = page.locator("#hot-spots tbody tr")
    assert hot.count() == 1 and hot.locator(".count").inner_text() == "3"
    page.screenshot(path=os.environ.get("LINLI_MAP_GEO_SCREENSHOT") or str(tmp_path / "map_geo.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})  # a worker's phone: the plan pans inside its card
    assert page.locator(".plan-wrap").bounding_box()["width"] <= 375
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    page.screenshot(path=os.environ.get("LINLI_MAP_PHONE_SCREENSHOT") or str(tmp_path / "map_phone.png"), full_page=True)
    other_id = community_named(db_session, OTHER).id
    assert page.goto(live_server + f"/console/complaints/map?community={other_id}").status == 404
    assert page.goto(live_server + f"/console/complaints/map/buildings?community={roster.id}").status == 403
    assert other.ticket not in page.content() and outside == []


def test_department_staff_see_only_their_complaints(live_server, page, staff_user, db_session, roster,
                                                    make_complaint, department):
    department()
    department("市政", ("water",))
    ours = make_complaint(community_id=roster.id, openid="oA", lat=LAT, lng=LNG, steps=[("dispatch", WORKER, {})])
    theirs = make_complaint(community_id=roster.id, openid="oB", category="water", lat=LAT, lng=LNG,
                            steps=[("dispatch", WORKER, {})])
    make_complaint(community_id=roster.id, openid="oC", lat=LAT, lng=LNG)  # not dispatched yet
    log_in(page, live_server, staff_user("department", department="物业公司"))
    page.goto(live_server + "/console/complaints/map")
    tickets = [m.get_attribute("data-ticket") for m in page.locator("#plan a.marker").all()]
    assert tickets == [ours.ticket] and theirs.ticket not in page.content()
