"""The FAQ console in headless Chromium: try a question, turn an unanswered one into an alternative."""
import os

import pytest
from sqlmodel import select

from models import UnansweredQuestion

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("LINLI_SCREENSHOTS")  # a directory: save screenshots there to look at


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def log_in(page, base, user):
    page.goto(base + "/console/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", user.password)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/console/")


def test_try_a_question_then_resolve_an_unanswered_one(live_server, page, staff_user, faq_sample, db_session, wechat):
    wechat.text("oBrowserFaq", "楼上空调外机滴水怎么办")
    db_session.commit()
    log_in(page, live_server, staff_user("admin"))
    page.goto(live_server + "/console/faq/")
    page.fill("input[name=try]", "电梯呢")
    page.click("#try button[type=submit]")
    assert "给出 3 个选项" in page.inner_text("#try")
    shot(page, "faq_list.png")

    page.goto(live_server + "/console/faq/unanswered")
    card = page.locator("section.unanswered").first
    assert "楼上空调外机滴水怎么办" in card.inner_text()
    target = faq_sample["怎么反映小区里的问题？"].id
    card.locator("select[name=entry_id]").select_option(value=str(target))
    shot(page, "faq_unanswered.png")
    card.locator("button", has_text="加为相似问法").click()
    page.wait_for_selector(".flash")
    assert f"已加为问答 #{target} 的相似问法" in page.inner_text(".flash")
    assert db_session.exec(select(UnansweredQuestion.status)).one() == "alternative"
    db_session.commit()


def test_a_worker_answers_the_residents_who_asked(live_server, page, staff_user, faq_sample, db_session, wechat):
    from models import OutboundMessage
    from tests.fixtures.console import community_named

    community = community_named(db_session, "幸福里小区")
    db_session.commit()
    for openid in ("oBrowserAsker1", "oBrowserAsker2"):
        wechat.event(openid, "subscribe", key=f"qrscene_community_{community.id}")
        wechat.text(openid, "小区的快递柜能不能多装几个，我电话13912345678")
    db_session.commit()
    log_in(page, live_server, staff_user("worker", communities=["幸福里小区"]))
    page.goto(live_server + "/console/faq/unanswered")
    card = page.locator("section.unanswered").first
    assert "2 位居民问过" in card.inner_text() and "139****5678" in card.inner_text()
    assert "13912345678" not in page.content()
    card.locator("summary", has_text="答复居民").click()
    card.locator("textarea[name=answer]").first.fill("快递柜已列入改造方案。")
    shot(page, "faq_answer.png")
    card.locator("button", has_text="答复居民").click()
    page.wait_for_selector(".flash")
    assert "答案会发给问过这个问题的居民" in page.inner_text(".flash")
    sent = db_session.exec(select(OutboundMessage.openid).where(OutboundMessage.kind == "faq_followup")).all()
    assert sorted(sent) == ["oBrowserAsker1", "oBrowserAsker2"]
    db_session.commit()
