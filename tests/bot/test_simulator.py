"""The development simulator page: every action goes through the real /wechat."""
from __future__ import annotations

import io
import os

import pytest
import requests
from sqlmodel import select

from bot import create_app
from bot.devtools import delivered
from models import Community, Resident
from tests.fixtures.console import csrf_token
from tests.fixtures.fakewechat import APP_SECRET
from tests.fixtures.wechat import AES_KEY

OPENID = "oSimPageResident01"


@pytest.fixture
def sim(wired_app):
    """A test client of the app wired to the fake API, with a CSRF header ready."""
    client = wired_app.test_client()
    token = csrf_token(client, "/dev/simulator/")

    def post(path: str, **kwargs):
        return client.post("/dev/simulator/" + path, headers={"X-CSRFToken": token}, **kwargs)

    client.sim_post = post
    return client


def push_custom_text(fake_url: str, openid: str, content: str) -> None:
    """Send as the service does: token, then message/custom/send."""
    token = requests.get(fake_url.rstrip("/") + "/cgi-bin/token", timeout=5, params={
        "grant_type": "client_credential", "appid": "wx5e1a0c0ffee2024a", "secret": APP_SECRET}).json()
    resp = requests.post(fake_url.rstrip("/") + "/cgi-bin/message/custom/send", timeout=5,
                         params={"access_token": token["access_token"]},
                         json={"touser": openid, "msgtype": "text", "text": {"content": content}})
    assert resp.json()["errcode"] == 0


def test_page_is_a_self_contained_chat(sim):
    resp = sim.get("/dev/simulator/")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    for key in ("FAQ", "SURVEY", "COMPLAINT", "MY_COMPLAINTS", "BIND"):
        assert f'data-key="{key}"' in html
    assert "/static/dev/simulator.js" in html and "<script>" not in html  # CSP: no inline script
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    assert sim.get("/static/dev/simulator.js").status_code == 200


def test_text_goes_through_the_gateway_and_the_passive_reply_is_shown(sim, db_session):
    resp = sim.sim_post("send", json={"openid": OPENID, "kind": "text", "text": "你好"})
    data = resp.get_json()
    assert resp.status_code == 200 and data["status"] == 200
    assert data["passive"] and data["reply"].strip()
    assert db_session.exec(select(Resident).where(Resident.openid == OPENID)).first() is not None


@pytest.mark.parametrize("payload", [
    {"kind": "voice", "text": "楼道灯坏了"},
    {"kind": "location", "lat": "38.0428", "lng": "114.5149", "label": "幸福里小区3号楼"},
    {"kind": "click", "key": "FAQ"}, {"kind": "click", "key": "SURVEY"}, {"kind": "click", "key": "COMPLAINT"},
    {"kind": "click", "key": "MY_COMPLAINTS"}, {"kind": "click", "key": "BIND"},
    {"kind": "scan", "scene": "community_1"}, {"kind": "unsubscribe"},
])
def test_every_kind_of_message_is_answered(sim, payload):
    resp = sim.sim_post("send", json={"openid": OPENID, **payload})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.get_json()["status"] == 200


def test_subscribe_with_a_qr_scene_remembers_the_community(sim, db_session):
    community = Community(name="模拟小区", code="SIM001")
    db_session.add(community)
    db_session.commit()
    resp = sim.sim_post("send", json={"openid": OPENID, "kind": "subscribe", "scene": f"community_{community.id}"})
    assert resp.get_json()["status"] == 200
    resident = db_session.exec(select(Resident).where(Resident.openid == OPENID)).one()
    assert resident.community_id == community.id


def test_photo_is_uploaded_to_the_fake_api_then_sent_as_an_image(sim, fake_wechat):
    photo = (io.BytesIO(b"\xff\xd8\xff\xe0fake-jpeg-bytes"), "楼道.jpg")
    resp = sim.sim_post("photo", data={"openid": OPENID, "photo": photo}, content_type="multipart/form-data")
    data = resp.get_json()
    assert resp.status_code == 200 and data["status"] == 200, data
    assert data["media_id"] in fake_wechat.state.media


def test_safe_mode_is_used_when_configured(make_app, fake_wechat):
    app = make_app({"wechat": {"api_base_url": fake_wechat.url, "encoding_aes_key": AES_KEY}})
    client = app.test_client()
    token = csrf_token(client, "/dev/simulator/")
    assert "安全模式" in client.get("/dev/simulator/").get_data(as_text=True)
    resp = client.post("/dev/simulator/send", headers={"X-CSRFToken": token},
                       json={"openid": OPENID, "kind": "text", "text": "你好"})
    data = resp.get_json()
    assert data["status"] == 200 and data["reply"].strip()


@pytest.mark.parametrize("payload, words", [
    ({"openid": "bad openid!", "kind": "text", "text": "x"}, "openid"),
    ({"openid": OPENID, "kind": "text", "text": "  "}, "不能为空"),
    ({"openid": OPENID, "kind": "teleport"}, "未知的消息类型"),
    ({"openid": OPENID, "kind": "click", "key": "NOPE"}, "未知的菜单键"),
    ({"openid": OPENID, "kind": "location", "lat": "north", "lng": "1"}, "lat"),
])
def test_bad_requests_are_refused_with_a_reason(sim, payload, words):
    resp = sim.sim_post("send", json=payload)
    assert resp.status_code == 400
    assert words in resp.get_json()["error"]


def test_posts_need_the_csrf_token(wired_app):
    resp = wired_app.test_client().post("/dev/simulator/send", json={"openid": OPENID, "kind": "text", "text": "x"})
    assert resp.status_code == 400


def test_delivered_shows_only_this_residents_sends_and_moves_on(sim, fake_wechat):
    push_custom_text(fake_wechat.url, OPENID, "您的报修已受理")
    push_custom_text(fake_wechat.url, "oSomeoneElse", "别人的消息")
    data = sim.get(f"/dev/simulator/delivered?openid={OPENID}&since=0").get_json()
    assert data["reachable"] is True
    assert [m["text"] for m in data["messages"]] == ["您的报修已受理"]
    again = sim.get(f"/dev/simulator/delivered?openid={OPENID}&since={data['next']}").get_json()
    assert again["messages"] == []


def test_delivered_says_when_the_fake_api_is_unreachable(make_app):
    from tests.fixtures.services import free_port

    app = make_app({"wechat": {"api_base_url": f"http://127.0.0.1:{free_port()}/"}})
    data = app.test_client().get(f"/dev/simulator/delivered?openid={OPENID}").get_json()
    assert data == {"messages": [], "next": 0, "reachable": False}


def test_describe_template_and_news_sends():
    template = {"path": "cgi-bin/message/template/send", "errcode": 0,
                "json": {"touser": OPENID, "template_id": "t", "data": {"first": {"value": "调查开始"}}}}
    news = {"path": "cgi-bin/message/custom/send", "errcode": 0,
            "json": {"touser": OPENID, "msgtype": "news", "news": {"articles": [{"title": "改造方案"}]}}}
    assert delivered.describe(template)["text"] == "调查开始"
    assert delivered.describe(news)["text"] == "改造方案"
    assert not delivered.is_send_to({**news, "errcode": 45015}, OPENID)


def test_simulator_is_absent_in_production(tmp_path, monkeypatch):
    monkeypatch.setenv("LINLI_APP_SECRET_KEY", "a-real-secret-for-this-test-0123456789")
    monkeypatch.setenv("LINLI_WECHAT_APP_SECRET", "a-real-app-secret-0123456789")
    monkeypatch.setenv("LINLI_WECHAT_TOKEN", "RealToken0123456789")
    app = create_app({"app": {"env": "production", "warm_up": "off"},
                      "database": {"url": f"sqlite:///{tmp_path / 'p.db'}"}})
    assert app.test_client().get("/dev/simulator/").status_code == 404


@pytest.fixture
def live_app_overrides(fake_wechat):
    return {"wechat": {"api_base_url": fake_wechat.url, "app_secret": APP_SECRET}}


@pytest.mark.browser
def test_chatting_in_the_browser(live_server, page, fake_wechat, tmp_path):
    page.goto(live_server + "/dev/simulator/")
    labels = page.locator("button.menu-key").all_inner_texts()  # the account's own menu, the chat's words
    assert labels == ["政策问答", "意见征询", "随手拍 · 拍照反映", "随手拍 · 我的诉求", "随手拍 · 绑定房屋"]
    page.fill("#openid", OPENID)
    page.dispatch_event("#openid", "change")
    page.fill("#message", "你好")
    page.press("#message", "Enter")
    page.wait_for_selector("#chat li.me >> text=你好")
    page.wait_for_selector("#chat li.bot .bubble")
    answers = "#chat li.bot, #chat li.system, #chat li.error"
    before = len(page.query_selector_all(answers))
    page.click("button.menu-key[data-key=BIND]")
    page.wait_for_selector("#chat li.me >> text=绑定房屋")
    page.wait_for_function(f"() => document.querySelectorAll('{answers}').length > {before}")
    before += 1
    photo = tmp_path / "楼道.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\nnot-really-a-png")
    page.set_input_files("#photo", str(photo))
    page.click("#send-photo")
    page.wait_for_function(f"() => document.querySelectorAll('{answers}').length > {before}")
    assert fake_wechat.state.media, "the photo reached the fake API"
    push_custom_text(fake_wechat.url, OPENID, "工作人员已接单")
    page.wait_for_selector("#chat li.pushed >> text=工作人员已接单")
    assert "已连接" in page.inner_text("#fake-status")
    assert not page.query_selector("#chat li.error")
    page.screenshot(path=os.environ.get("LINLI_SIMULATOR_SCREENSHOT") or str(tmp_path / "simulator.png"))
