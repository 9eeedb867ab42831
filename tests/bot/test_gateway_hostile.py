"""Every hostile input WECHAT.md names is refused fast with a 4xx and nothing recorded."""
import time

import pytest
from sqlmodel import select

from bot.wechat import crypto
from models import InboundMessage
from tests.fixtures.app import FIXED_NOW
from tests.fixtures.wechat import ACCOUNT, AES_KEY, APP_ID, OPENID, TOKEN


def signed_query(timestamp=None, nonce="424242"):
    timestamp = str(int(FIXED_NOW if timestamp is None else timestamp))
    return {"timestamp": timestamp, "nonce": nonce, "signature": crypto.signature(TOKEN, timestamp, nonce),
            "openid": OPENID}


def text_xml(content="你好", msg_id="1001", **over):
    fields = {"ToUserName": ACCOUNT, "FromUserName": OPENID, "CreateTime": str(int(FIXED_NOW)),
              "MsgType": "text", "Content": content, "MsgId": msg_id, **over}
    inner = "".join(f"<{k}><![CDATA[{v}]]></{k}>" for k, v in fields.items() if v is not None)
    return f"<xml>{inner}</xml>"


XXE = ('<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       f'<xml><ToUserName>{ACCOUNT}</ToUserName><FromUserName>{OPENID}</FromUserName>'
       '<CreateTime>1795000010</CreateTime><MsgType>text</MsgType><Content>&xxe;</Content><MsgId>1</MsgId></xml>')
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
          + ']><xml><Content>&lol9;</Content></xml>')
def deep(levels: int) -> str:
    return "<xml>" + "<a>" * levels + "x" + "</a>" * levels + "</xml>"

CASES = {
    "xxe": (XXE.encode(), 400),
    "billion_laughs": (LAUGHS.encode(), 400),
    "deep_nesting": (deep(5000).encode(), 400),
    "huge_body": (text_xml("长" * 400_000).encode(), 413),
    "empty_body": (b"", 400),
    "not_xml": (b"hello world", 400),
    "wrong_root": (text_xml().replace("<xml>", "<root>").replace("</xml>", "</root>").encode(), 400),
    "gbk_declared": (('<?xml version="1.0" encoding="GBK"?>' + text_xml("漏水")).encode("gbk"), 400),
    "gbk_undeclared": (text_xml("楼道灯坏了").encode("gbk"), 400),
    "missing_from": (text_xml(FromUserName=None).encode(), 400),
    "missing_msgtype": (text_xml(MsgType=None).encode(), 400),
    "missing_createtime": (text_xml(CreateTime=None).encode(), 400),
    "bad_createtime": (text_xml(CreateTime="yesterday").encode(), 400),
    "bad_msgid": (text_xml(msg_id="1 OR 1=1").encode(), 400),
    "truncated": (text_xml().encode()[:-9], 400),
}


def assert_nothing_recorded(db_session):
    assert db_session.exec(select(InboundMessage)).all() == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_body_refused_quickly(client, db_session, name):
    body, status = CASES[name]
    started = time.perf_counter()
    resp = client.post("/wechat", query_string=signed_query(), data=body, content_type="text/xml")
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert time.perf_counter() - started < 1.0
    assert_nothing_recorded(db_session)


def test_twenty_thousand_deep_refused_even_under_a_larger_cap(make_app, db_session):
    client = make_app({"wechat": {"max_body_bytes": 1_000_000}}).test_client()
    started = time.perf_counter()
    resp = client.post("/wechat", query_string=signed_query(), data=deep(20000).encode())
    assert resp.status_code == 400
    assert time.perf_counter() - started < 1.0
    assert_nothing_recorded(db_session)


@pytest.mark.parametrize("skew", [-301, 301, -86400 * 365 * 3])
def test_replayed_or_future_timestamp_refused(client, db_session, skew):
    resp = client.post("/wechat", query_string=signed_query(FIXED_NOW + skew), data=text_xml().encode())
    assert resp.status_code == 403
    assert_nothing_recorded(db_session)


def test_timestamp_inside_window_accepted(client, db_session):
    resp = client.post("/wechat", query_string=signed_query(FIXED_NOW - 299), data=text_xml().encode())
    assert resp.status_code == 200
    assert len(db_session.exec(select(InboundMessage)).all()) == 1


@pytest.mark.parametrize("mutate", ["wrong", "missing", "token_only", "uppercase_other"])
def test_bad_plain_signature_refused(client, db_session, mutate):
    query = signed_query()
    if mutate == "wrong":
        query["signature"] = query["signature"][:-1] + ("0" if query["signature"][-1] != "0" else "1")
    elif mutate == "missing":
        del query["signature"]
    elif mutate == "token_only":
        query["signature"] = crypto.signature(TOKEN)
    else:
        query["nonce"] = "999"
    resp = client.post("/wechat", query_string=query, data=text_xml().encode())
    assert resp.status_code == 403
    assert_nothing_recorded(db_session)


def test_url_verification_refuses_stale_timestamp(client):
    query = signed_query(FIXED_NOW - 3600)
    query["echostr"] = "abc"
    assert client.get("/wechat", query_string=query).status_code == 403


def safe_post(client, xml: str, *, app_id=APP_ID, tamper=False, timestamp=None):
    envelope = crypto.Envelope(AES_KEY, app_id)
    encrypt = envelope.encrypt(xml)
    query = signed_query(timestamp)
    query.update(encrypt_type="aes",
                 msg_signature=crypto.signature(TOKEN, query["timestamp"], query["nonce"], encrypt))
    if tamper:
        query["msg_signature"] = crypto.signature(TOKEN, query["timestamp"], query["nonce"], encrypt + "x")
    body = f"<xml><ToUserName>{ACCOUNT}</ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    return client.post("/wechat", query_string=query, data=body.encode())


def test_safe_mode_wrong_app_id_refused(safe_app):
    resp = safe_post(safe_app.test_client(), text_xml(), app_id="wx0000000000000000")
    assert resp.status_code == 403


def test_safe_mode_tampered_msg_signature_refused(safe_app):
    resp = safe_post(safe_app.test_client(), text_xml(), tamper=True)
    assert resp.status_code == 403


def test_safe_mode_checks_msg_signature_not_signature(safe_app):
    """A valid plain `signature` with no msg_signature must not be enough."""
    client = safe_app.test_client()
    encrypt = crypto.Envelope(AES_KEY, APP_ID).encrypt(text_xml())
    body = f"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    query = {**signed_query(), "encrypt_type": "aes"}
    assert client.post("/wechat", query_string=query, data=body.encode()).status_code == 403


@pytest.mark.parametrize("garbage", ["not base64!!", "QUJD", "A" * 64])
def test_safe_mode_garbage_encrypt_refused(safe_app, garbage):
    client = safe_app.test_client()
    query = signed_query()
    query.update(encrypt_type="aes", msg_signature=crypto.signature(TOKEN, query["timestamp"], query["nonce"], garbage))
    body = f"<xml><Encrypt><![CDATA[{garbage}]]></Encrypt></xml>"
    assert client.post("/wechat", query_string=query, data=body.encode()).status_code == 400


def test_safe_mode_inner_xxe_refused(safe_app):
    resp = safe_post(safe_app.test_client(), XXE)
    assert resp.status_code == 400


def test_unknown_message_type_gets_polite_reply(client):
    resp = client.post("/wechat", query_string=signed_query(), data=text_xml(MsgType="hologram").encode())
    assert resp.status_code == 200
    assert "邻里可以帮您" in resp.get_data(as_text=True)


def test_unknown_event_gets_success(client):
    xml = (f"<xml><ToUserName>{ACCOUNT}</ToUserName><FromUserName>{OPENID}</FromUserName>"
           "<CreateTime>1795000010</CreateTime><MsgType>event</MsgType><Event>brand_new_event</Event></xml>")
    resp = client.post("/wechat", query_string=signed_query(), data=xml.encode())
    assert resp.status_code == 200
    assert resp.get_data(as_text=True) == "success"
