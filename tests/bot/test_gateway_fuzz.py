"""Property-based fuzzing of /wechat: whatever arrives, never a 500 and no partial write.

Short in the suite; `LINLI_FUZZ_EXAMPLES=20000 pytest tests/bot/test_gateway_fuzz.py`
(or bench/fuzz/run.sh) for a long run.
"""
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from bot.wechat import crypto
from models import InboundMessage
from tests.fixtures.app import FIXED_NOW
from tests.fixtures.wechat import ACCOUNT, AES_KEY, APP_ID, TOKEN

EXAMPLES = int(os.environ.get("LINLI_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

FIELD_NAMES = ["ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId", "Event", "EventKey",
               "MediaId", "PicUrl", "Recognition", "Location_X", "Location_Y", "Scale", "Label", "Format",
               "Latitude", "Longitude", "Precision", "Ticket", "Title", "Url", "Encrypt", "ScanCodeInfo"]
MSG_TYPES = ["text", "image", "voice", "video", "shortvideo", "location", "link", "event", "", "TEXT", "unknown"]
EVENTS = ["subscribe", "unsubscribe", "SCAN", "LOCATION", "CLICK", "VIEW", "scancode_push", "pic_weixin",
          "location_select", "TEMPLATESENDJOBFINISH", "whatever", ""]

text = st.text(max_size=40)
values = st.one_of(text, st.integers(-10**20, 10**20).map(str), st.sampled_from(MSG_TYPES + EVENTS),
                   st.just("]]>"), st.just("<a>"), st.just("&amp;"))


@st.composite
def messages(draw):
    fields = draw(st.dictionaries(st.sampled_from(FIELD_NAMES), values, max_size=10))
    if draw(st.booleans()):
        fields.update(ToUserName=ACCOUNT, FromUserName="oFuzz" + draw(st.text("abc123", max_size=6)),
                      CreateTime=str(int(FIXED_NOW)), MsgType=draw(st.sampled_from(MSG_TYPES)))
        if fields["MsgType"] == "event":
            fields["Event"] = draw(st.sampled_from(EVENTS))
        else:
            fields["MsgId"] = str(draw(st.integers(1, 10**12)))
    wrap = draw(st.sampled_from(["cdata", "plain", "broken"]))
    parts = []
    for key, value in fields.items():
        if wrap == "cdata":
            parts.append(f"<{key}><![CDATA[{value.replace(']]>', ']]]]><![CDATA[>')}]]></{key}>")
        elif wrap == "plain":
            parts.append(f"<{key}>{value}</{key}>")
        else:
            parts.append(f"<{key}>{value}")
    return "<xml>" + "".join(parts) + "</xml>"


def inbound_count(db_session) -> int:
    count = db_session.exec(select(func.count()).select_from(InboundMessage)).one()
    db_session.rollback()  # release SQLite's lock before the app writes
    return count


def signed(timestamp=int(FIXED_NOW), nonce="1"):
    return {"timestamp": str(timestamp), "nonce": nonce, "signature": crypto.signature(TOKEN, str(timestamp), nonce)}


@FUZZ
@given(body=messages())
def test_plaintext_bodies_never_500(client, db_session, body):
    before = inbound_count(db_session)
    resp = client.post("/wechat", query_string=signed(), data=body.encode("utf-8", "surrogatepass"))
    assert resp.status_code in (200, 400, 413), resp.status_code
    after = inbound_count(db_session)
    assert after - before in ((0, 1) if resp.status_code == 200 else (0,))


@FUZZ
@given(raw=st.binary(max_size=2000))
def test_random_bytes_never_500(client, db_session, raw):
    before = inbound_count(db_session)
    resp = client.post("/wechat", query_string=signed(), data=raw)
    assert resp.status_code in (200, 400, 413)
    if resp.status_code != 200:
        assert inbound_count(db_session) == before


@FUZZ
@given(query=st.dictionaries(st.sampled_from(["signature", "timestamp", "nonce", "encrypt_type", "msg_signature",
                                              "openid", "echostr"]), st.text(max_size=50), max_size=7))
def test_random_queries_never_500(safe_app, query):
    client = safe_app.test_client()
    assert client.get("/wechat", query_string=query).status_code in (200, 403)
    assert client.post("/wechat", query_string=query, data=b"<xml/>").status_code in (200, 400, 403)


@FUZZ
@given(inner=messages())
def test_safe_mode_bodies_never_500(safe_app, inner):
    envelope = crypto.Envelope(AES_KEY, APP_ID)
    encrypt = envelope.encrypt(inner)
    query = signed()
    query.update(encrypt_type="aes", msg_signature=crypto.signature(TOKEN, query["timestamp"], query["nonce"], encrypt))
    body = f"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>".encode()
    assert safe_app.test_client().post("/wechat", query_string=query, data=body).status_code in (200, 400)
