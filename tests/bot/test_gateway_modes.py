"""Issue 17 item 2 and body encodings: what each ``wechat.message_mode`` accepts.

``signature`` covers token, timestamp and nonce, never the body, so in safe
mode a plaintext POST carrying a valid ``signature`` must be refused: whoever
saw one logged URL could otherwise post any body for 300 s.
"""
from __future__ import annotations

import pytest
from sqlmodel import select

from bot import PROJECT_ROOT, config
from bot.wechat import crypto, xmlcodec
from models import InboundMessage
from tests.bot.test_gateway_hostile import signed_query, text_xml
from tests.fixtures.wechat import ACCOUNT, AES_KEY, APP_ID, TOKEN


def encrypted_post(client, xml: str, *, plain_xml: str | None = None):
    """Safe mode's body, or compatible mode's when ``plain_xml`` gives the plain fields beside ``Encrypt``."""
    encrypt = crypto.Envelope(AES_KEY, APP_ID).encrypt(xml)
    query = signed_query()
    query.update(encrypt_type="aes", msg_signature=crypto.signature(TOKEN, query["timestamp"], query["nonce"], encrypt))
    plain = plain_xml[len("<xml>"):-len("</xml>")] if plain_xml else f"<ToUserName>{ACCOUNT}</ToUserName>"
    body = f"<xml>{plain}<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    return client.post("/wechat", query_string=query, data=body.encode())


def plain_post(client, encrypt_type: str | None, xml: str | None = None):
    query = signed_query()
    if encrypt_type is not None:
        query["encrypt_type"] = encrypt_type
    return client.post("/wechat", query_string=query, data=(xml or text_xml()).encode())


def recorded(db_session) -> int:
    return len(db_session.exec(select(InboundMessage)).all())


@pytest.mark.parametrize("encrypt_type", [None, "raw", "RAW", "", "des"])
def test_safe_mode_refuses_a_plaintext_post_with_a_valid_signature(safe_app, db_session, encrypt_type):
    assert safe_app.config["LINLI"]["wechat"]["message_mode"] == "safe"  # derived from the key
    resp = plain_post(safe_app.test_client(), encrypt_type)
    assert resp.status_code == 403
    assert recorded(db_session) == 0


def test_safe_mode_refuses_a_compatible_body_without_encrypt_type(safe_app, db_session):
    encrypt = crypto.Envelope(AES_KEY, APP_ID).encrypt(text_xml())
    body = text_xml().replace("</xml>", f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>")
    resp = safe_app.test_client().post("/wechat", query_string=signed_query(), data=body.encode())
    assert resp.status_code == 403
    assert recorded(db_session) == 0


def test_safe_mode_answers_an_encrypted_post(safe_app, db_session):
    resp = encrypted_post(safe_app.test_client(), text_xml())
    assert resp.status_code == 200 and "<Encrypt>" in resp.get_data(as_text=True)
    assert recorded(db_session) == 1


def test_compatible_mode_takes_both_and_decrypts_the_encrypted_part(make_app, db_session):
    app = make_app({"wechat": {"encoding_aes_key": AES_KEY, "message_mode": "compatible"}})
    client = app.test_client()
    assert plain_post(client, None, text_xml(msg_id="2001")).status_code == 200
    # The plain fields say one thing, Encrypt another: with encrypt_type=aes the decrypted message is read.
    resp = encrypted_post(client, text_xml(msg_id="2002"), plain_xml=text_xml(msg_id="2099"))
    assert resp.status_code == 200 and "<Encrypt>" in resp.get_data(as_text=True)
    keys = sorted(m.dedup_key for m in db_session.exec(select(InboundMessage)))
    assert keys == ["msg:2001", "msg:2002"]


def test_plaintext_mode_with_a_key_reads_plain_fields(make_app):
    app = make_app({"wechat": {"encoding_aes_key": AES_KEY, "message_mode": "plaintext"}})
    assert plain_post(app.test_client(), None).status_code == 200


def test_message_mode_defaults_and_refusals():
    def load(wechat: dict) -> dict:
        return config.load(PROJECT_ROOT / "config.toml", overrides={"wechat": wechat}, environ={})["wechat"]
    assert load({})["message_mode"] == "plaintext"
    assert load({"encoding_aes_key": AES_KEY})["message_mode"] == "safe"
    assert load({"encoding_aes_key": AES_KEY, "message_mode": "Compatible"})["message_mode"] == "compatible"
    with pytest.raises(config.ConfigError, match="needs wechat.encoding_aes_key"):
        load({"message_mode": "safe"})
    with pytest.raises(config.ConfigError, match="message_mode must be"):
        load({"encoding_aes_key": AES_KEY, "message_mode": "aes"})


# --------------------------------------------------------------- body encodings
DECLARED = {
    "latin1": ('<?xml version="1.0" encoding="ISO-8859-1"?>' + text_xml("caf\u00e9")).encode("latin-1"),
    "latin1_ascii_only": ('<?xml version="1.0" encoding="ISO-8859-1"?>' + text_xml("hello")).encode("latin-1"),
    "us_ascii": ('<?xml version="1.0" encoding="US-ASCII"?>' + text_xml("hello")).encode("ascii"),
    "utf16_bom": ('<?xml version="1.0" encoding="UTF-16"?>' + text_xml("你好")).encode("utf-16"),
    "utf16_no_decl": text_xml("你好").encode("utf-16"),
}


@pytest.mark.parametrize("name", sorted(DECLARED))
def test_non_utf8_bodies_are_refused_and_nothing_recorded(client, db_session, name):
    resp = client.post("/wechat", query_string=signed_query(), data=DECLARED[name])
    assert resp.status_code == 400, resp.get_data(as_text=True)
    assert recorded(db_session) == 0


@pytest.mark.parametrize("declaration", ['<?xml version="1.0" encoding="UTF-8"?>',
                                         '<?xml version="1.0" encoding="utf-8"?>',
                                         '<?xml version="1.0"?>', ""])
def test_utf8_bodies_are_read(client, declaration):
    resp = client.post("/wechat", query_string=signed_query(), data=(declaration + text_xml("你好")).encode())
    assert resp.status_code == 200


def test_inner_xml_declaring_latin1_is_refused_in_safe_mode(safe_app, db_session):
    inner = '<?xml version="1.0" encoding="ISO-8859-1"?>' + text_xml("hello")
    assert encrypted_post(safe_app.test_client(), inner).status_code == 400
    assert recorded(db_session) == 0


def test_parse_refuses_declared_non_utf8():
    with pytest.raises(xmlcodec.XmlError, match="UTF-8"):
        xmlcodec.parse(DECLARED["latin1_ascii_only"])
