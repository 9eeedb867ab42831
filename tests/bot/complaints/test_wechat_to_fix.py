"""Done-when, end to end: /wechat → complaint → photo fetched from the fake API → fixed → resident told."""
from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
from PIL import Image
from sqlmodel import select

from bot import runtime
from bot.devtools.wechat_client import SimulatedWeChat
from handlers.complaints import fetch, lifecycle
from handlers.complaints.env import Actor, Env
from models import Complaint, ComplaintPhoto
from tests.fixtures.complaints import GPS_LAT, GPS_LNG, WORKER, jpeg_with_metadata, now_of
from tests.fixtures.wechat import ACCOUNT, APP_ID, TOKEN, flask_transport

OPENID = "oResidentE2E"


@pytest.fixture
def wx(wired_app, clock):
    return SimulatedWeChat(transport=flask_transport(wired_app.test_client()), token=TOKEN, app_id=APP_ID,
                           account=ACCOUNT, clock=clock)


@pytest.fixture
def env_on(db_session, clock):
    def make(app) -> Env:
        return Env(session=db_session, settings=app.config["LINLI"], now=now_of(clock),
                   render=lambda name, **v: app.jinja_env.get_template(name).render(**v),
                   link=runtime.services(app).complaint_links)
    return make


def report(wx, media_id: str, retries: int = 3, location: bool = True, base: int = 8_800_000) -> str:
    steps = [("image", (OPENID, media_id)), ("text", (OPENID, "消防通道被电动车堵死了"))]
    if location:
        steps.append(("location", (OPENID, 38.0401, 114.5102, "幸福里小区5号楼")))
    steps.append(("text", (OPENID, "1")))
    for n, (kind, args) in enumerate(steps):
        for _ in range(retries):
            status, reply = getattr(wx, kind)(*args, msg_id=base + n)
            assert status == 200
    return reply["Content"]


def test_photo_words_location_to_fix_and_back(wx, wired_app, fake_wechat, db_session, run_job, env_on, department):
    dept = department("消防安全组", ("safety",))
    media_id = fake_wechat.add_media(jpeg_with_metadata())
    receipt = report(wx, media_id)
    ticket = re.search(r"SP\d{8}-\d{4}", receipt).group(0)
    assert "已收到" in receipt and "已受理" not in receipt  # it waits for review (待审核)
    complaint = db_session.exec(select(Complaint)).one()
    assert complaint.ticket == ticket and complaint.category == "safety"

    run_job("complaints.fetch_media", on_app=wired_app)
    photo = db_session.exec(select(ComplaintPhoto)).one()
    assert photo.status == "stored" and len(fake_wechat.calls_to("media/get")) == 1
    stored = runtime.services(wired_app).storage.get(photo.storage_key)
    assert dict(Image.open(io.BytesIO(stored)).getexif()) == {} and b"TestCam" not in stored
    assert complaint.location_source == "message"  # the resident's own location wins over the photo's GPS

    lifecycle.transition(complaint, "dispatch", env=env_on(wired_app), actor=WORKER)
    dept_actor = Actor("fire", "department", dept.id)
    lifecycle.transition(complaint, "sign", env=env_on(wired_app), actor=dept_actor)
    after = ComplaintPhoto(complaint_id=complaint.id, kind="after", status="pending")
    fetch.store_processed(after, jpeg_with_metadata(color="green"), env=env_on(wired_app),
                          storage=runtime.services(wired_app).storage)
    lifecycle.transition(complaint, "resolve", env=env_on(wired_app), actor=dept_actor, note="电动车已清走")
    db_session.commit()

    run_job("outbox.deliver", on_app=wired_app)
    sent = [c["json"] for c in fake_wechat.calls_to("message/custom/send")]
    assert [m["msgtype"] for m in sent] == ["text", "text", "news", "text"]
    assert ticket in sent[0]["text"]["content"] and "消防安全组" in sent[0]["text"]["content"]
    assert "已由【消防安全组】于" in sent[1]["text"]["content"]  # signed for: the resident is told when
    article = sent[2]["news"]["articles"][0]
    assert ticket in article["title"] and "电动车已清走" in article["description"]
    assert "1 已解决" in sent[3]["text"]["content"]
    assert receipt.count(ticket) == 1 and all(ticket not in m.get("text", {}).get("content", "x") or n == 0
                                              for n, m in enumerate(sent[:1]))

    client = wired_app.test_client()
    page = client.get(urlsplit(article["url"]).path)
    assert page.status_code == 200 and ticket in page.get_data(as_text=True)
    picture = client.get(urlsplit(article["picurl"]).path)
    assert picture.status_code == 200 and picture.mimetype == "image/jpeg"
    assert dict(Image.open(io.BytesIO(picture.data)).getexif()) == {}
    assert client.get("/c/photo/forged-token").status_code == 404

    status, reply = wx.text(OPENID, "1 5")
    assert "感谢" in reply["Content"]
    db_session.refresh(complaint)
    assert (complaint.state, complaint.rating_result, complaint.rating_score) == ("closed", "solved", 5)


def test_gps_from_the_photo_when_no_location_was_sent(wx, wired_app, fake_wechat, db_session, run_job):
    report(wx, fake_wechat.add_media(jpeg_with_metadata()), retries=1, location=False)
    run_job("complaints.fetch_media", on_app=wired_app)
    complaint = db_session.exec(select(Complaint)).one()
    assert (complaint.latitude, complaint.longitude) == pytest.approx((GPS_LAT, GPS_LNG))
    assert complaint.location_source == "photo"


def test_media_api_down_for_a_day_keeps_the_complaint_and_recovers(wx, wired_app, fake_wechat, db_session,
                                                                   run_job, clock):
    media_id = fake_wechat.add_media(jpeg_with_metadata())
    fake_wechat.go_down()
    receipt = report(wx, media_id, retries=1)
    for _ in range(30):  # a day of the clock trying, with backoff
        run_job("complaints.fetch_media", on_app=wired_app)
        clock.advance(3600)
    photo = db_session.exec(select(ComplaintPhoto)).one()
    complaint = db_session.exec(select(Complaint)).one()
    assert photo.status == "pending" and photo.attempts >= 5 and photo.last_error
    assert complaint.state == "submitted" and complaint.ticket in receipt
    status, reply = wx.text(OPENID, "我的诉求")
    assert "照片待获取" in reply["Content"]
    fake_wechat.come_up()
    clock.advance(3600)
    run_job("complaints.fetch_media", on_app=wired_app)
    db_session.refresh(photo)
    assert photo.status == "stored"


def test_media_never_fetched_expires_after_three_days(wx, wired_app, fake_wechat, db_session, run_job, clock):
    fake_wechat.go_down()
    report(wx, "MEDIA_gone", retries=1)
    clock.advance(3 * 86400 + 60)
    run_job("complaints.fetch_media", on_app=wired_app)
    assert db_session.exec(select(ComplaintPhoto)).one().status == "expired"
    assert db_session.exec(select(Complaint)).one().state == "submitted"


def test_photos_fetched_into_s3_storage(make_app, fake_wechat, s3_media, clock, db_session, run_job):
    from tests.fixtures.fakewechat import APP_SECRET
    app = make_app({"wechat": {"api_base_url": fake_wechat.url, "app_secret": APP_SECRET, "api_timeout_s": 2.0},
                    "media": s3_media()})
    wx = SimulatedWeChat(transport=flask_transport(app.test_client()), token=TOKEN, app_id=APP_ID, account=ACCOUNT,
                         clock=clock)
    report(wx, fake_wechat.add_media(jpeg_with_metadata()), retries=1)
    run_job("complaints.fetch_media", on_app=app)
    photo = db_session.exec(select(ComplaintPhoto)).one()
    s3 = runtime.services(app).storage
    assert photo.status == "stored" and s3.exists(photo.storage_key) and s3.exists(photo.thumb_key)
    assert dict(Image.open(io.BytesIO(s3.get(photo.storage_key))).getexif()) == {}
