"""The acceptance walk, in headless Chromium: resident → worker → department → resident (issue 20, "Done when").

A resident chats on the simulator page (every message through the real ``/wechat``, the photo
through the fake WeChat API), a community worker reviews and dispatches in the console, a
department (物业) user signs for it and resolves it with an after-photo, and the resident reads
what the outbox delivered through the fake API and rates the result in chat.

What the resident reads is checked against what our own templates produce for that step
(``handlers.complaints.notices`` renders the outbox notices) and on its stable parts (ticket,
category, department, the department's note), not against literal sentences: the wording lives
in templates/wechat/*.txt and may change without this walk failing.
"""
from __future__ import annotations

import os
import re

import pytest
from sqlmodel import select

from bot import runtime
from handlers.complaints import notices
from handlers.complaints.env import Env
from models import Complaint, ComplaintEvent, ComplaintPhoto, Resident
from models.outbox import OutboundMessage
from tests.fixtures.browser import LOADED, log_in
from tests.fixtures.complaints import jpeg_with_metadata
from tests.fixtures.fakewechat import APP_SECRET

pytestmark = pytest.mark.browser
OPENID = "oWalkResident01"
NOTE = "纸箱已清运，楼道已打扫"


@pytest.fixture
def live_app_overrides(fake_wechat, tmp_path):
    return {"wechat": {"api_base_url": fake_wechat.url, "app_secret": APP_SECRET, "api_timeout_s": 2.0},
            "clock": {"lock_path": str(tmp_path / "clock.lock")}}


def flat(text: str) -> str:
    """Text as compared: whitespace (the page wraps lines) does not count."""
    return re.sub(r"\s+", "", text or "")


def bot_says(page, before: int) -> str:
    """The next passive reply shown in the chat after ``before`` replies."""
    page.wait_for_function(f"() => document.querySelectorAll('#chat li.bot').length > {before}")
    return page.locator("#chat li.bot .bubble").nth(before).inner_text()


def pushed_texts(page) -> list[str]:
    return [flat(t) for t in page.locator("#chat li.pushed .bubble").all_inner_texts()]


def wait_pushed(page, expected: str) -> None:
    """Wait until a message delivered through the fake API and showing ``expected`` is in the chat."""
    want = flat(expected)
    page.wait_for_function("want => Array.from(document.querySelectorAll('#chat li.pushed .bubble'))"
                           ".some(b => b.innerText.replace(/\\s+/g, '').includes(want))", arg=want)


def notice_text(db_session, live_app, complaint: Complaint, action: str) -> str:
    """What our templates say to the resident for the complaint's latest ``action`` event, rendered now."""
    db_session.expire_all()
    complaint = db_session.get(Complaint, complaint.id)
    event = db_session.exec(select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint.id,
                                                         ComplaintEvent.action == action)
                            .order_by(ComplaintEvent.id.desc())).first()
    env = Env(session=db_session, settings=live_app.config["LINLI"], now=event.at,
              render=lambda name, **v: live_app.jinja_env.get_template(name).render(**v),
              link=runtime.services(live_app).complaint_links)
    with live_app.app_context():
        payload = notices.payload_for(event, {**notices.values_for(complaint, event, env), "follower": False}, env)
    return payload.get("text") or payload["news"][0]["description"]


def queued_for(db_session, complaint: Complaint, action: str) -> OutboundMessage:
    event = db_session.exec(select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint.id,
                                                         ComplaintEvent.action == action)).one()
    return db_session.exec(select(OutboundMessage).where(
        OutboundMessage.dedup_key == f"complaint:{complaint.id}:{event.id}")).one()


def resident_reports(page, base, community_id: int) -> tuple[str, str]:
    """Subscribe by the community's QR code, then photo → words → category in chat; returns (prompt, receipt)."""
    page.goto(base + "/dev/simulator/")
    page.fill("#openid", OPENID)
    page.dispatch_event("#openid", "change")
    page.fill("#scene", f"community_{community_id}")
    page.click("#subscribe")
    bot_says(page, 0)
    page.click("button.menu-key[data-key=COMPLAINT]")
    bot_says(page, 1)
    page.set_input_files("#photo", files=[{"name": "楼道.jpg", "mimeType": "image/jpeg",
                                           "buffer": jpeg_with_metadata()}])
    page.click("#send-photo")
    bot_says(page, 2)
    page.fill("#message", "2号楼1单元楼道堆满纸箱，影响通行")
    page.press("#message", "Enter")
    prompt = bot_says(page, 3)
    number = re.search(r"(\d+)\.\s*环境卫生", prompt).group(1)
    page.fill("#message", number)
    page.press("#message", "Enter")
    return prompt, bot_says(page, 4)


def worker_reviews_and_dispatches(page, base, worker, ticket: str) -> None:
    log_in(page, base, worker)
    page.goto(base + "/console/complaints/")
    page.click(f"a:has-text('{ticket}')")
    assert page.inner_text("#state") == "待审核"
    assert "2号楼1单元楼道堆满纸箱" in page.inner_text("main")
    assert page.locator("img[alt=问题照片]").evaluate(LOADED)
    page.click("form[data-action=accept] button[type=submit]")
    page.wait_for_selector("text=已保存")
    assert page.inner_text("#state") == "已受理"
    assert "（按类别默认）" in page.locator("form[data-action=dispatch] select option:checked").inner_text()
    page.click("form[data-action=dispatch] button[type=submit]")
    page.wait_for_selector("text=已保存")
    assert page.inner_text("#state") == "已派单"


def department_signs_and_resolves(page, base, user, complaint_id: int) -> None:
    log_in(page, base, user)
    page.goto(base + "/console/complaints/")
    page.click(f"a[href$='/console/complaints/{complaint_id}']")
    page.click("form[data-action=sign] button[type=submit]")
    page.wait_for_selector("form[data-action=resolve]")
    assert page.inner_text("#state") == "处理中"
    page.set_input_files("form[data-action=resolve] input[type=file]",
                         files=[{"name": "after.jpg", "mimeType": "image/jpeg",
                                 "buffer": jpeg_with_metadata(color="green")}])
    page.fill("form[data-action=resolve] textarea[name=note]", NOTE)
    page.click("form[data-action=resolve] button[type=submit]")
    page.wait_for_selector("text=已保存")
    assert page.inner_text("#state") == "已处理待评价"


def test_resident_worker_department_resident(live_server, live_app, browser, page, fake_wechat, roster,
                                             department, staff_user, db_session, run_job, tmp_path):
    dept = department("物业公司", ("environment",), communities=(roster.name,))
    worker = staff_user("worker", communities=[roster.name])
    wuye = staff_user("department", department=dept.name)
    # app.public_base_url, the address residents' links point to, is this server's (its port is known only now).
    runtime.services(live_app).complaint_links.base_url = live_server

    # 1. The resident reports in chat: the receipt carries the ticket and the category they chose.
    prompt, receipt = resident_reports(page, live_server, roster.id)
    complaint = db_session.exec(select(Complaint)).one()
    resident = db_session.exec(select(Resident).where(Resident.openid == OPENID)).one()
    assert (complaint.state, complaint.category, complaint.community_id) == ("submitted", "environment", roster.id)
    assert complaint.resident_id == resident.id and "环境卫生" in prompt
    assert complaint.ticket in receipt and "环境卫生" in receipt and receipt.count(complaint.ticket) == 1
    run_job("complaints.fetch_media", on_app=live_app)
    assert db_session.exec(select(ComplaintPhoto)).one().status == "stored"

    # 2. The worker reviews (受理) and dispatches to the department chosen by category.
    console = browser.new_context(locale="zh-CN").new_page()
    worker_reviews_and_dispatches(console, live_server, worker, complaint.ticket)
    dispatched = notice_text(db_session, live_app, complaint, "dispatch")
    assert complaint.ticket in dispatched and dept.name in dispatched
    assert flat(queued_for(db_session, complaint, "dispatch").payload["text"]) == flat(dispatched)
    run_job("outbox.deliver", on_app=live_app)
    wait_pushed(page, dispatched)  # the resident reads it, as the template wrote it

    console.context.close()

    # 3. The department (another person, another browser) signs for it and resolves it with an after-photo.
    console = browser.new_context(locale="zh-CN").new_page()
    department_signs_and_resolves(console, live_server, wuye, complaint.id)
    console.context.close()
    resolved = notice_text(db_session, live_app, complaint, "resolve")
    assert complaint.ticket in resolved and dept.name in resolved and NOTE in resolved
    run_job("outbox.deliver", on_app=live_app)
    news = next(c["json"]["news"]["articles"][0] for c in fake_wechat.calls_to("message/custom/send")
                if c["json"].get("msgtype") == "news" and c["json"]["touser"] == OPENID)
    assert flat(news["description"]) == flat(resolved) and complaint.ticket in news["title"]
    wait_pushed(page, news["title"])
    rate_request = queued_for(db_session, complaint, "resolve")  # the news; the rating request follows it
    ask = db_session.exec(select(OutboundMessage).where(
        OutboundMessage.dedup_key == rate_request.dedup_key + ":rate")).one().payload["text"]
    assert complaint.ticket in ask
    wait_pushed(page, ask)

    # The resident opens the news: their complaint's page with the after-photo.
    assert news["url"].startswith(live_server) and news["picurl"].startswith(live_server)
    status_page = page.context.new_page()
    status_page.goto(news["url"])
    assert complaint.ticket in status_page.inner_text("body") and NOTE in status_page.inner_text("body")
    status_page.wait_for_function("() => Array.from(document.images).some(i => i.alt === '处理后照片' "
                                  "&& i.complete && i.naturalWidth > 0)")
    status_page.close()

    # 4. The resident rates it in chat and is thanked; the complaint is closed.
    replies_before = page.locator("#chat li.bot").count()
    page.fill("#message", "1 5")
    page.press("#message", "Enter")
    thanks = bot_says(page, replies_before)
    db_session.expire_all()
    complaint = db_session.get(Complaint, complaint.id)
    assert (complaint.state, complaint.rating_result, complaint.rating_score) == ("closed", "solved", 5)
    expected = live_app.jinja_env.get_template("wechat/complaint_rate.txt").render(
        c=complaint, data={"result": "solved"})
    assert flat(thanks) == flat(expected) and complaint.ticket in thanks
    page.screenshot(path=os.environ.get("LINLI_WALKTHROUGH_SCREENSHOT") or str(tmp_path / "walk.png"), full_page=True)
