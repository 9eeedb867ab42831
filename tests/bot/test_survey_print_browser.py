"""Printed paper for a run, in headless Chromium: blank ballots per household (address, QR code
of the household's door link, signature line; A4, one page each, no codes) and the door-to-door
sheet per building; and the door itself: WeChat says who scanned, only that household's voter
gets in."""
import re
from urllib.parse import urlsplit

import pytest
import requests

from tests.fixtures.browser import log_in
from tests.fixtures.fakewechat import APP_SECRET

pytestmark = pytest.mark.browser
ASCII_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture
def live_app_overrides(fake_wechat):
    return {"wechat": {"api_base_url": fake_wechat.url, "app_secret": APP_SECRET, "api_timeout_s": 2.0}}


def pdf_pages(page) -> int:
    page.emulate_media(media="print")
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", page.pdf(prefer_css_page_size=True)))


def test_blank_ballots_for_a_building_and_one_household(live_server, page, staff_user, seed_community,
                                                        publish_run):
    seeded = seed_community("纸质小区")
    run = publish_run(seeded.community)
    log_in(page, live_server, staff_user("worker", communities=["纸质小区"]))
    page.goto(f"{live_server}/console/surveys/runs/{run.id}")
    page.click("#print-paper")
    first = page.locator("#print-buildings tbody tr").first
    assert "1号楼" in first.inner_text() and "打印本楼空白答卷（6 份）" in first.inner_text()
    page.goto(live_server + first.locator("a.ballots").get_attribute("href"))

    ballots = page.locator("section.ballot")
    assert ballots.count() == 6  # the vacant household is not eligible
    head = ballots.first.inner_text()
    assert "纸质小区 1号楼 1单元 101" in head and "签字" in head and "微信扫码" in head
    assert "□ 同意" in head and "□ 不同意" in head and "第1题选“不同意”时填写" in head
    assert ballots.first.locator("figure.qr svg path").count() == 1
    links = {ballots.nth(i).locator("figure.qr").get_attribute("data-link") for i in range(6)}
    assert len(links) == 6 and all("/door?h=" in link for link in links)
    assert not ASCII_WORD.findall(" ".join(page.locator("section.ballot").all_inner_texts()))
    assert pdf_pages(page) == 6  # one A4 page a household

    page.emulate_media(media="screen")
    page.goto(f"{live_server}/console/surveys/runs/{run.id}/print")
    row = page.locator("#print-buildings tr", has_text="2号楼")
    row.locator("select[name=household]").select_option(label="1单元 102")
    with page.expect_popup() as popup:
        row.locator("button").click()
    single = popup.value
    single.wait_for_selector("section.ballot")
    assert single.locator("section.ballot").count() == 1
    assert "纸质小区 2号楼 1单元 102" in single.inner_text(".address")


def test_door_sheet_per_building_lists_pending_households_masked(live_server, page, staff_user, seed_community,
                                                                 publish_run, bind_resident, db_session, clock):
    from datetime import datetime, timezone

    from surveys import ballots

    seeded = seed_community("入户小区")
    run = publish_run(seeded.community)
    resident = bind_resident(seeded.households[0], "o-door-sheet")
    ballots.cast_by_resident(run.id, resident.id, {"agree": "yes"}, channel="wechat", session=db_session,
                             now=datetime.fromtimestamp(clock.now, timezone.utc), render=lambda t, **v: "")
    db_session.commit()
    log_in(page, live_server, staff_user("worker", communities=["入户小区"]))
    page.goto(f"{live_server}/console/surveys/runs/{run.id}/print")
    page.goto(live_server + page.locator("#print-buildings tr", has_text="1号楼").locator("a.door")
              .get_attribute("href"))
    sheets = page.locator("section.door-sheet")
    assert sheets.count() == 1
    text = sheets.inner_text()
    assert "1号楼（未答 5 户）" in text and "走访人" in text and "备注" in text and "不在家" in text
    assert "住户1号楼1" not in text and "住*" in text and "138****0001" in text
    assert "101" not in [cell.strip() for cell in page.locator("td:nth-child(2)").all_inner_texts()]
    assert pdf_pages(page) == 1
    page.goto(f"{live_server}/console/surveys/runs/{run.id}/not-answered")
    assert page.locator("section.door-sheet").count() == 2 and pdf_pages(page) == 2  # a page a building


def test_the_qr_door_lets_in_only_the_households_own_voter(live_server, live_app, page, staff_user, seed_community,
                                                           publish_run, bind_resident, fake_wechat):
    seeded = seed_community("扫码小区")
    run = publish_run(seeded.community)
    own = bind_resident(seeded.households[0], "o-own-household")
    bind_resident(seeded.households[1], "o-next-door")
    log_in(page, live_server, staff_user("worker", communities=["扫码小区"]))
    page.goto(f"{live_server}/console/surveys/runs/{run.id}/ballots/print?household={seeded.households[0].id}")
    link = urlsplit(page.locator("figure.qr").get_attribute("data-link"))
    door = f"{live_server}{link.path}?{link.query}"

    to_wechat = requests.get(door, allow_redirects=False, timeout=10)
    assert to_wechat.status_code == 302
    location = to_wechat.headers["Location"]
    assert location.startswith("https://open.weixin.qq.com/connect/oauth2/authorize?appid=")
    assert "scope=snsapi_base" in location and "redirect_uri=" in location

    fake_wechat.add_oauth_code("CODE-NEXT", "o-next-door")
    page.goto(door + "&code=CODE-NEXT&state=door")
    assert "这张答卷属于另一户" in page.inner_text("body")
    page.goto(door.replace("?h=", "?h=x") + "&code=CODE-NEXT")
    assert "二维码无效" in page.inner_text("body")

    fake_wechat.add_oauth_code("CODE-OWN", "o-own-household")
    page.goto(door + "&code=CODE-OWN&state=door")
    page.check("input[name=agree][value=yes]")
    page.click("button.submit")
    page.wait_for_selector(".success")
    assert own.id and "提交成功" in page.inner_text(".success")
