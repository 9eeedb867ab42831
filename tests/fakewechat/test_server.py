"""The fake WeChat API answers in WeChat's shapes, records calls and fails on demand."""
from __future__ import annotations

import requests

from tests.fixtures.fakewechat import APP_SECRET

APP_ID = "wx5e1a0c0ffee2024a"


def get_token(fake) -> str:
    body = requests.get(fake.url + "cgi-bin/token", params={"grant_type": "client_credential", "appid": APP_ID,
                                                             "secret": APP_SECRET}, timeout=5).json()
    assert body["expires_in"] == 7200
    return body["access_token"]


def send(fake, token, openid="o1", text="你好"):
    return requests.post(fake.url + "cgi-bin/message/custom/send", params={"access_token": token},
                         json={"touser": openid, "msgtype": "text", "text": {"content": text}}, timeout=5).json()


def test_token_checks_the_secret(fake_wechat):
    body = requests.get(fake_wechat.url + "cgi-bin/token", params={"grant_type": "client_credential",
                                                                    "appid": APP_ID, "secret": "wrong"}).json()
    assert body["errcode"] == 40125
    assert "secret" not in fake_wechat.calls[0]["params"]


def test_custom_send_validates_tokens(fake_wechat):
    token = get_token(fake_wechat)
    assert send(fake_wechat, token)["errcode"] == 0
    assert send(fake_wechat, "bogus")["errcode"] == 40001
    fake_wechat.expire_tokens()
    assert send(fake_wechat, token)["errcode"] == 42001
    sent = fake_wechat.calls_to("message/custom/send")
    assert [c["errcode"] for c in sent] == [0, 40001, 42001]
    assert sent[0]["touser"] == "o1" and sent[0]["json"]["text"]["content"] == "你好"


def test_old_token_stays_valid_for_a_while_after_a_new_one(fake_wechat):
    first = get_token(fake_wechat)
    second = get_token(fake_wechat)
    assert first != second
    assert send(fake_wechat, first)["errcode"] == 0


def test_stable_token_returns_the_current_token(fake_wechat):
    url = fake_wechat.url + "cgi-bin/stable_token"
    payload = {"grant_type": "client_credential", "appid": APP_ID, "secret": APP_SECRET}
    one = requests.post(url, json=payload).json()["access_token"]
    assert requests.post(url, json=payload).json()["access_token"] == one
    assert requests.post(url, json={**payload, "force_refresh": True}).json()["access_token"] != one


def test_injected_failures_and_outside_window(fake_wechat):
    token = get_token(fake_wechat)
    fake_wechat.fail("message/custom/send", 45009, times=2)
    assert [send(fake_wechat, token)["errcode"] for _ in range(3)] == [45009, 45009, 0]
    fake_wechat.fail("custom/send", 503)
    assert requests.post(fake_wechat.url + "cgi-bin/message/custom/send", params={"access_token": token},
                         json={"touser": "o1", "msgtype": "text", "text": {"content": "x"}}).status_code == 503
    fake_wechat.outside_window("o2")
    assert send(fake_wechat, token, openid="o2")["errcode"] == 45015
    assert send(fake_wechat, token, openid="o1")["errcode"] == 0


def test_template_media_menu_and_oauth(fake_wechat):
    token = get_token(fake_wechat)
    body = requests.post(fake_wechat.url + "cgi-bin/message/template/send", params={"access_token": token},
                         json={"touser": "o1", "template_id": "T1", "data": {"first": {"value": "x"}}}).json()
    assert body["errcode"] == 0 and body["msgid"]
    media_id = fake_wechat.add_media(b"\xff\xd8jpeg", "image/jpeg")
    resp = requests.get(fake_wechat.url + "cgi-bin/media/get", params={"access_token": token, "media_id": media_id})
    assert resp.content == b"\xff\xd8jpeg" and resp.headers["Content-Type"] == "image/jpeg"
    menu = {"button": [{"type": "click", "name": "问答", "key": "FAQ"}]}
    assert requests.post(fake_wechat.url + "cgi-bin/menu/create", params={"access_token": token},
                         json=menu).json()["errcode"] == 0
    assert fake_wechat.menu == menu
    fake_wechat.add_oauth_code("CODE1", "oResident")
    params = {"appid": APP_ID, "secret": APP_SECRET, "code": "CODE1", "grant_type": "authorization_code"}
    assert requests.get(fake_wechat.url + "sns/oauth2/access_token", params=params).json()["openid"] == "oResident"
    assert requests.get(fake_wechat.url + "sns/oauth2/access_token", params=params).json()["errcode"] == 40163


def test_go_down_refuses_connections_until_it_comes_up(fake_wechat):
    token = get_token(fake_wechat)
    fake_wechat.go_down()
    try:
        send(fake_wechat, token)
        raise AssertionError("the fake should refuse connections while down")
    except requests.ConnectionError:
        pass
    fake_wechat.come_up()
    assert send(fake_wechat, token)["errcode"] == 0


def test_http_control_api(fake_wechat):
    control = fake_wechat.url + "_fake/"
    media_id = requests.post(control + "media", files={"media": ("a.png", b"PNG", "image/png")}).json()["media_id"]
    token = get_token(fake_wechat)
    resp = requests.get(fake_wechat.url + "cgi-bin/media/get", params={"access_token": token, "media_id": media_id})
    assert resp.content == b"PNG"
    requests.post(control + "fail", json={"path": "template/send", "errcode": 45009, "times": 1})
    assert fake_wechat.state.injected_failure("cgi-bin/message/template/send") == 45009
    requests.post(control + "down", json={})
    assert send_status(fake_wechat, token) == 503
    requests.post(control + "up")
    assert send(fake_wechat, token)["errcode"] == 0
    found = requests.get(control + "calls", params={"path": "custom/send"}).json()
    assert [c["http_status"] for c in found["calls"]] == [503, 200]
    requests.post(control + "reset")
    assert fake_wechat.calls == []


def send_status(fake, token) -> int:
    return requests.post(fake.url + "cgi-bin/message/custom/send", params={"access_token": token},
                         json={"touser": "o1", "msgtype": "text", "text": {"content": "x"}}).status_code


def test_runs_as_a_module_for_other_processes():
    import subprocess
    import sys

    from bot import PROJECT_ROOT

    proc = subprocess.Popen([sys.executable, "-m", "fakewechat", "--port", "0", "--app-secret", APP_SECRET],
                            cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        url = line.split(" on ", 1)[1].split(" ", 1)[0]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        body = requests.get(url + "cgi-bin/token", params={"grant_type": "client_credential", "appid": APP_ID,
                                                            "secret": APP_SECRET}, timeout=5).json()
        assert body["expires_in"] == 7200
        assert requests.get(url + "_fake/calls", timeout=5).json()["next"] == 1
    finally:
        proc.terminate()
        proc.wait(10)
