"""Every sample message (tests/fixtures/wechat/), as WeChat sends it, gets a protocol answer."""
import pytest
from sqlmodel import select

from models import InboundMessage, Resident
from tests.fixtures.wechat import OPENID, fixture_names, load_fixture

HOSTILE = {"40_bad_signature": 403, "41_xxe_file": 400, "45_truncated": 400, "47_missing_msgtype": 400}
SAFE_ONLY = {"30_aes_text"}
POST_FIXTURES = [n for n in fixture_names() if not n.startswith("00_") and n not in HOSTILE and n not in SAFE_ONLY]


def test_url_verification_echoes_echostr(client):
    query, _ = load_fixture("00_get_url_verification")
    resp = client.get("/wechat", query_string=query)
    assert resp.status_code == 200
    assert resp.get_data(as_text=True) == query["echostr"]


def test_url_verification_refuses_bad_signature(client):
    query, _ = load_fixture("00_get_url_verification")
    query["signature"] = "0" * 40
    assert client.get("/wechat", query_string=query).status_code == 403


@pytest.mark.parametrize("name", POST_FIXTURES)
def test_every_fixture_is_answered_and_recorded_once(client, db_session, name):
    query, body = load_fixture(name)
    sender = body.split(b"<FromUserName><![CDATA[")[1].split(b"]]>")[0].decode()
    first = client.post("/wechat", query_string=query, data=body, content_type="text/xml")
    again = client.post("/wechat", query_string=query, data=body, content_type="text/xml")
    assert first.status_code == 200, first.get_data(as_text=True)
    assert again.get_data() == first.get_data() or b"<CreateTime>" in first.get_data()
    rows = db_session.exec(select(InboundMessage)).all()
    assert len(rows) == 1
    assert rows[0].openid == sender
    text = first.get_data(as_text=True)
    assert text == "success" or text.startswith("<xml>")


def test_unsubscribe_marks_resident_inactive_and_keeps_them(client, db_session):
    for name in ("10_event_subscribe", "12_event_unsubscribe"):
        query, body = load_fixture(name)
        assert client.post("/wechat", query_string=query, data=body).status_code == 200
    resident = db_session.exec(select(Resident).where(Resident.openid == OPENID)).one()
    assert resident.active is False
    assert resident.unsubscribed_at is not None


@pytest.mark.parametrize("name,status", sorted(HOSTILE.items()))
def test_hostile_fixtures_are_refused_with_nothing_recorded(client, db_session, name, status):
    query, body = load_fixture(name)
    resp = client.post("/wechat", query_string=query, data=body, content_type="text/xml")
    assert resp.status_code == status
    assert db_session.exec(select(InboundMessage)).all() == []


def test_safe_mode_fixture_is_decrypted_and_answered_encrypted(safe_app):
    client = safe_app.test_client()
    query, body = load_fixture("30_aes_text")
    resp = client.post("/wechat", query_string=query, data=body, content_type="text/xml")
    assert resp.status_code == 200
    assert b"<Encrypt>" in resp.get_data()


def test_retry_fixture_gets_the_same_reply_and_one_record(client, db_session):
    first_q, first_b = load_fixture("01_text_policy_question")
    retry_q, retry_b = load_fixture("28_text_retry_duplicate_of_01")
    first = client.post("/wechat", query_string=first_q, data=first_b)
    retry = client.post("/wechat", query_string=retry_q, data=retry_b)
    assert first.status_code == retry.status_code == 200
    strip = lambda b: b.split(b"<CreateTime>")[0] + b.split(b"</CreateTime>")[1]
    assert strip(first.get_data()) == strip(retry.get_data())
    assert len(db_session.exec(select(InboundMessage)).all()) == 1
