"""Safe and compatible mode, checked against wechatpy's crypto as an independent implementation."""
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wechatpy.crypto import PrpCrypto, WeChatCrypto

from bot.wechat import crypto, xmlcodec
from handlers import replies
from tests.fixtures.app import FIXED_NOW
from tests.fixtures.wechat import ACCOUNT, AES_KEY, APP_ID, OPENID, TOKEN

KEY = crypto.Envelope(AES_KEY, APP_ID).key


def message(content: str, msg_id: int = 5001) -> str:
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{OPENID}]]></FromUserName>"
            f"<CreateTime>{int(FIXED_NOW)}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>")


def test_round_trip_through_the_gateway_with_wechatpy(safe_app):
    theirs = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
    timestamp, nonce = str(int(FIXED_NOW)), "31415926"
    envelope = theirs.encrypt_message(message("你好"), nonce, timestamp)
    fields = xmlcodec.parse(envelope.encode())
    query = {"timestamp": timestamp, "nonce": nonce, "encrypt_type": "aes",
             "signature": crypto.signature(TOKEN, timestamp, nonce), "msg_signature": fields["MsgSignature"]}
    body = f"<xml><ToUserName>{ACCOUNT}</ToUserName><Encrypt><![CDATA[{fields['Encrypt']}]]></Encrypt></xml>"
    resp = safe_app.test_client().post("/wechat", query_string=query, data=body.encode())
    assert resp.status_code == 200
    reply = xmlcodec.parse(resp.get_data())
    plain = theirs.decrypt_message(resp.get_data(as_text=True), reply["MsgSignature"], reply["TimeStamp"],
                                   reply["Nonce"])  # raises if our signature or padding is wrong
    inner = xmlcodec.parse(plain.encode())
    assert inner["ToUserName"] == OPENID and inner["MsgType"] == "text"
    assert "邻里可以帮您" in inner["Content"]


def test_compatible_mode_without_key_uses_plain_fields(client):
    """Compatible mode body (plain fields + Encrypt) on an app with no AES key configured."""
    timestamp, nonce = str(int(FIXED_NOW)), "27182818"
    encrypt = crypto.Envelope(AES_KEY, APP_ID).encrypt(message("兼容"))
    body = message("兼容").replace("</xml>", f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>")
    query = {"timestamp": timestamp, "nonce": nonce, "encrypt_type": "aes",
             "signature": crypto.signature(TOKEN, timestamp, nonce),
             "msg_signature": crypto.signature(TOKEN, timestamp, nonce, encrypt)}
    resp = client.post("/wechat", query_string=query, data=body.encode())
    assert resp.status_code == 200
    assert "<Encrypt>" not in resp.get_data(as_text=True)


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=0, max_size=300))
def test_our_envelope_and_wechatpys_agree_both_ways(text):
    ours = crypto.Envelope(AES_KEY, APP_ID)
    theirs = PrpCrypto(KEY)
    decrypted = theirs.decrypt(ours.encrypt(text), APP_ID)
    assert (decrypted.decode("utf-8") if isinstance(decrypted, bytes) else decrypted) == text
    assert ours.decrypt(theirs.encrypt(text, APP_ID)) == text


def test_signature_matches_wechatpy():
    from wechatpy.utils import check_signature

    sig = crypto.signature(TOKEN, "1795000001", "123")
    check_signature(TOKEN, sig, "1795000001", "123")  # raises on mismatch
    assert crypto.check_signature(sig, TOKEN, "1795000001", "123")
    assert not crypto.check_signature(sig.upper()[:-1] + "0", TOKEN, "1795000001", "123")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_reply_content_survives_any_text(text):
    """`]]>`, markup and emoji in what we echo can never break the reply XML."""
    xml = xmlcodec.render_reply(replies.text(text), to_user=OPENID, from_user=ACCOUNT, now=1)
    root = ElementTree.fromstring(xml)
    expected = xmlcodec._INVALID_XML_CHARS.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    assert root.findtext("Content") == expected
    assert [child.tag for child in root] == ["ToUserName", "FromUserName", "CreateTime", "MsgType", "Content"]


@pytest.mark.parametrize("content", ["3号楼]]>漏水 <script>alert(1)</script> & \"引号\" 😀", "]]>]]>", "<![CDATA[x"])
def test_news_reply_fields_escaped(content):
    reply = replies.news(replies.Article(title=content, description=content, url="https://x/?a=1&b=2"))
    root = ElementTree.fromstring(xmlcodec.render_reply(reply, to_user=OPENID, from_user=ACCOUNT, now=1))
    assert root.find("Articles/item/Title").text == content
    assert root.find("Articles/item/Url").text == "https://x/?a=1&b=2"
