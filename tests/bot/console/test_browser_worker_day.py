"""In headless Chromium: a worker's home shows a complaint to review and an objection waiting; they answer it."""
import pytest
from playwright.sync_api import expect
from sqlmodel import select

from models import OutboundMessage
from models.publicity import Objection, Publicity
from surveys import objections
from tests.bot.console.test_browser_no_codes import codes_in
from tests.fixtures.browser import log_in

pytestmark = pytest.mark.browser


def test_worker_answers_an_objection_from_the_home_page(live_server, page, staff_user, db_session, published_run,
                                                        make_complaint):
    made = published_run()
    p = db_session.get(Publicity, made.publicity_id)
    row = objections.raise_objection(p.id, made.residents[4].id, "我家的票没有统计进去", session=db_session,
                                     now=p.published_at)
    make_complaint(community_id=made.run.community_id, openid="o-browser", description="楼道灯不亮")
    db_session.commit()
    worker = staff_user("worker", communities=["测试小区"])

    log_in(page, live_server, worker)
    review = page.locator("#todo-complaints a", has_text="待审核的诉求")
    expect(review).to_be_visible()
    expect(page.locator("#todo-complaints li", has_text="待审核的诉求").locator(".count")).to_have_text("1")
    waiting = page.locator("#todo-objections a", has_text="待答复的异议")
    expect(page.locator("#todo-objections li").locator(".count")).to_have_text("1")
    waiting.click()
    page.wait_for_url(f"{live_server}/console/publicity/{p.id}")
    expect(page.locator(f"#objection-{row.id} .objection-text")).to_have_text("我家的票没有统计进去")
    page.fill(f"#objection-{row.id} textarea[name=answer]", "已核对纸质答卷，补记您家的同意票。")
    page.click(f"#objection-{row.id} button[type=submit]")
    page.wait_for_url(f"{live_server}/console/publicity/{p.id}#objection-{row.id}")
    expect(page.locator(f"#objection-{row.id} .answer")).to_contain_text("已核对纸质答卷")
    expect(page.locator(".flash")).to_contain_text("答复已发送给居民")
    assert codes_in(page.inner_text("main")) == []  # no English codes on the page a worker reads

    page.goto(live_server + "/console/")
    expect(page.locator("#todo-objections .empty")).to_have_text("没有待答复的异议。")
    db_session.expire_all()
    assert db_session.get(Objection, row.id).answered_by == worker.username
    sent = db_session.exec(select(OutboundMessage).where(OutboundMessage.dedup_key == f"objection.answer:{row.id}")).one()
    assert sent.openid == made.residents[4].openid
