"""The WeChat API client against the fake API: tokens shared and refreshed once, errors mapped."""
from __future__ import annotations

import pytest

from bot.wechat.api import HTTP_ERROR, NETWORK_ERROR, WeChatApiError, get_api


@pytest.fixture
def api(wired_app):
    with wired_app.app_context():
        yield get_api()


def token_requests(fake) -> int:
    return len(fake.calls_to("cgi-bin/token"))


def test_send_custom_text_uses_one_token(api, fake_wechat):
    api.send_custom("o1", {"text": "您好，投诉已受理"})
    api.send_custom("o2", {"news": [{"title": "通知", "url": "http://x"}]})
    sent = fake_wechat.calls_to("custom/send")
    assert [c["json"]["msgtype"] for c in sent] == ["text", "news"]
    assert sent[0]["json"]["text"]["content"] == "您好，投诉已受理"
    assert token_requests(fake_wechat) == 1


def test_expired_token_mid_run_refreshes_once_and_retries(api, fake_wechat):
    api.send_custom("o1", {"text": "一"})
    fake_wechat.expire_tokens()
    api.send_custom("o1", {"text": "二"})
    assert [c["errcode"] for c in fake_wechat.calls_to("custom/send")] == [0, 42001, 0]
    assert token_requests(fake_wechat) == 2


def test_invalid_credential_twice_gives_up_after_one_retry(api, fake_wechat):
    fake_wechat.fail("custom/send", 40001, times=2)
    with pytest.raises(WeChatApiError) as info:
        api.send_custom("o1", {"text": "x"})
    assert info.value.errcode == 40001 and not info.value.transient
    assert len(fake_wechat.calls_to("custom/send")) == 2


def test_template_media_menu_and_oauth(api, fake_wechat):
    api.send_template("o1", "TPL1", {"first": "进度更新", "remark": {"value": "谢谢", "color": "#173177"}}, url="http://h5")
    body = fake_wechat.calls_to("template/send")[0]["json"]
    assert body["data"] == {"first": {"value": "进度更新"}, "remark": {"value": "谢谢", "color": "#173177"}}
    assert body["url"] == "http://h5"
    assert api.get_media(fake_wechat.add_media(b"\xff\xd8photo")) == b"\xff\xd8photo"
    with pytest.raises(WeChatApiError) as info:
        api.get_media("nope")
    assert info.value.errcode == 40007
    api.create_menu({"button": [{"type": "click", "name": "问答", "key": "FAQ"}]})
    assert fake_wechat.menu["button"][0]["key"] == "FAQ"
    fake_wechat.add_oauth_code("C1", "oH5")
    assert api.oauth_openid("C1") == "oH5"
    with pytest.raises(WeChatApiError) as info:
        api.oauth_openid("C1")
    assert info.value.errcode == 40163


def test_transport_failures_are_transient(api, fake_wechat):
    api.send_custom("o1", {"text": "x"})
    fake_wechat.fail("custom/send", 502)
    with pytest.raises(WeChatApiError) as info:
        api.send_custom("o1", {"text": "x"})
    assert info.value.errcode == HTTP_ERROR and info.value.http_status == 502 and info.value.transient
    fake_wechat.fail("custom/send", 45009)
    with pytest.raises(WeChatApiError) as info:
        api.send_custom("o1", {"text": "x"})
    assert info.value.errcode == 45009 and info.value.transient
    fake_wechat.go_down()
    with pytest.raises(WeChatApiError) as info:
        api.send_custom("o1", {"text": "x"})
    assert info.value.errcode == NETWORK_ERROR and info.value.transient


def test_timeout_from_config(make_app, fake_wechat):
    app = make_app({"wechat": {"api_base_url": fake_wechat.url, "api_timeout_s": 0.2}})
    with app.app_context():
        api = get_api()
        api.token()
        fake_wechat.set_delay(1.0)
        with pytest.raises(WeChatApiError) as info:
            api.send_custom("o1", {"text": "x"})
    assert info.value.errcode == NETWORK_ERROR and info.value.errmsg == "timeout"


def test_two_apps_on_one_database_share_the_token(wired_app, make_app, fake_wechat):
    other = make_app({"wechat": {"api_base_url": fake_wechat.url}})
    for app in (wired_app, other):
        with app.app_context():
            get_api().send_custom("o1", {"text": "x"})
    assert token_requests(fake_wechat) == 1


def test_refresh_ahead_only_when_close_to_expiry(api, fake_wechat):
    first = api.refresh_ahead(600)
    assert api.refresh_ahead(600).value == first.value  # the same token (expiry may round in the store)
    assert api.refresh_ahead(7200 + 1).value != first.value
    assert token_requests(fake_wechat) == 2
