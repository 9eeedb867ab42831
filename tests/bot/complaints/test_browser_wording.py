"""Wording on the complaint page a worker reads (issue 20 item 8), in headless Chromium."""
from __future__ import annotations

import pytest
from bot.demo import load_demo
from models import Complaint
from tests.fixtures.browser import log_in
from tests.fixtures.console import community_named

HOME = "幸福里小区"


@pytest.mark.browser
def test_detail_reads_without_nested_brackets_wrong_reasons_or_ids(live_server, page, staff_user, db_session,
                                                                   make_complaint, department):
    department("城建科", ("building",))
    cid = community_named(db_session, HOME).id
    db_session.commit()
    original = make_complaint(category="building", description="3号楼外墙脱落", community_id=cid, openid="oA")
    again = make_complaint(category="building", description="外墙掉皮", community_id=cid, openid="oB")
    log_in(page, live_server, staff_user("worker", communities=[HOME]))
    page.goto(f"{live_server}/console/complaints/{again.id}")

    category = page.inner_text("tr:has(th:text('类别')) td")
    assert category == "房屋本体 · 复杂，15个工作日"  # not 房屋本体（复杂（15个工作日））
    reasons = page.locator("form[data-action=reject] select[name=reason] option").all_inner_texts()
    assert reasons == ["非本单位职责", "无效诉求"]  # never 已解决 / 居民撤回 before any work
    duplicate = page.locator("form[data-action=mark_duplicate]")
    assert "原诉求编号" in duplicate.inner_text() and "ID" not in duplicate.inner_text()
    duplicate.locator("input[name=original_id]").fill(original.ticket)  # the number people see
    duplicate.locator("button[type=submit]").click()
    page.wait_for_selector("#state:text('已合并')")
    db_session.expire_all()
    assert db_session.get(Complaint, again.id).duplicate_of_id == original.id


def test_demo_line_says_what_is_there_on_every_start(app):
    with app.app_context():
        for _ in range(2):  # scripts/run loads the demo at every start
            line = next(text for text in load_demo(app) if text.startswith("随手拍"))
    assert "工作日历含 0" not in line and "示例诉求 3 件" in line
