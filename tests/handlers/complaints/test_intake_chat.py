"""随手拍 through the real /wechat endpoint: photos, words, location, category, ticket."""
from __future__ import annotations

import re

from sqlmodel import select

from models import Complaint, ComplaintPhoto
from tests.fixtures.complaints import outbox_for

OPENID = "oResidentIntake01"
TICKET = re.compile(r"SP\d{8}-\d{4}")


def send_complaint(wechat, retries: int = 1, msg_base: int = 7_100_000):
    """Photo, words, location and a category choice; every message sent ``retries`` times."""
    steps = [("image", (OPENID, "MEDIA_A")), ("text", (OPENID, "3号楼东侧下水道堵了")),
             ("location", (OPENID, 38.0401, 114.5102, "幸福里小区3号楼")), ("text", (OPENID, "2"))]
    replies = []
    for n, (kind, args) in enumerate(steps):
        answers = [getattr(wechat, kind)(*args, msg_id=msg_base + n) for _ in range(retries)]
        assert all(status == 200 for status, _ in answers)
        assert len({a[1]["Content"] for a in answers}) == 1  # a retry gets the same answer
        replies.append(answers[0][1]["Content"])
    return replies


def test_photo_words_location_and_category_become_one_complaint(wechat, db_session):
    replies = send_complaint(wechat)
    assert "已收到照片" in replies[0] and "文字" in replies[0]
    assert "1. " in replies[1]  # the numbered categories
    assert "幸福里小区3号楼" in replies[2]
    assert TICKET.search(replies[3]) and "照片正在获取" in replies[3]
    complaint = db_session.exec(select(Complaint)).one()
    assert complaint.state == "submitted" and complaint.category == "water"
    assert complaint.ticket == TICKET.search(replies[3]).group(0)
    assert complaint.description == "3号楼东侧下水道堵了"
    assert (complaint.latitude, complaint.longitude, complaint.location_source) == (38.0401, 114.5102, "message")
    photo = db_session.exec(select(ComplaintPhoto)).one()
    assert (photo.media_id, photo.status) == ("MEDIA_A", "pending")


def test_each_message_retried_three_times_still_one_complaint_and_one_ticket(wechat, db_session):
    replies = send_complaint(wechat, retries=3)
    assert len(db_session.exec(select(Complaint)).all()) == 1
    assert len(db_session.exec(select(ComplaintPhoto)).all()) == 1
    assert len(TICKET.findall("\n".join(replies))) == 1
    assert outbox_for(db_session, OPENID) == []  # the ticket came in the reply, not twice


def test_quiet_photo_is_submitted_by_the_clock_with_a_receipt(wechat, db_session, clock, run_job):
    status, reply = wechat.image(OPENID, "MEDIA_Q")
    assert "请用文字说明" in reply["Content"]
    run_job("complaints.finalize_intake")
    assert db_session.exec(select(Complaint)).one().state == "draft"  # not quiet long enough
    clock.advance(11 * 60)
    run_job("complaints.finalize_intake")
    db_session.expire_all()
    complaint = db_session.exec(select(Complaint)).one()
    assert complaint.state == "submitted" and complaint.ticket
    notices = outbox_for(db_session, OPENID)
    assert len(notices) == 1 and complaint.ticket in notices[0].payload["text"]
    assert "照片正在获取" in notices[0].payload["text"]
    run_job("complaints.finalize_intake")
    assert len(outbox_for(db_session, OPENID)) == 1


def test_menu_and_keyword_start_and_my_complaints_lists_states(wechat, db_session, clock):
    status, reply = wechat.click(OPENID, "COMPLAINT")
    assert "随手拍" in reply["Content"]
    send_complaint(wechat)
    status, reply = wechat.text(OPENID, "我的诉求")
    assert TICKET.search(reply["Content"]) and "待审核" in reply["Content"] and "照片待获取" in reply["Content"]
    assert '<a href="http://127.0.0.1:5000/c/' in reply["Content"]  # a signed link to the progress page
    clock.advance(1)  # events are deduplicated by sender, CreateTime and event
    status, reply = wechat.click(OPENID, "MY_COMPLAINTS")
    assert "待审核" in reply["Content"]


def test_photo_menu_event_and_location_select_feed_the_same_draft(wechat, db_session, clock):
    status, reply = wechat.send_fields(OPENID, "event", {"Event": "pic_photo_or_album", "EventKey": "COMPLAINT_PIC"})
    assert status == 200 and reply == "success"
    wechat.image(OPENID, "MEDIA_P1", msg_id=9_001)
    wechat.image(OPENID, "MEDIA_P2", msg_id=9_002)
    clock.advance(1)
    xml = ("<xml><ToUserName><![CDATA[gh_0a1b2c3d4e5f]]></ToUserName><FromUserName><![CDATA[" + OPENID +
           "]]></FromUserName><CreateTime>" + str(int(clock())) + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
           "<Event><![CDATA[location_select]]></Event><EventKey><![CDATA[LOC]]></EventKey><SendLocationInfo>"
           "<Location_X>38.05</Location_X><Location_Y>114.52</Location_Y><Scale>15</Scale>"
           "<Label><![CDATA[北门]]></Label></SendLocationInfo></xml>")
    status, reply = wechat.post_xml(xml)
    assert "北门" in reply["Content"]
    draft = db_session.exec(select(Complaint)).one()
    assert draft.state == "draft" and (draft.latitude, draft.location_label) == (38.05, "北门")
    assert len(db_session.exec(select(ComplaintPhoto)).all()) == 2


def test_complaint_belongs_to_the_community_of_the_residents_household(wechat, db_session):
    from models import Binding, Building, Community, Household, Resident
    community = Community(name="和平里小区")
    db_session.add(community)
    db_session.flush()
    building = Building(community_id=community.id, name="1号楼")
    db_session.add(building)
    db_session.flush()
    household = Household(community_id=community.id, building_id=building.id, room="101")
    resident = Resident(openid=OPENID)
    db_session.add_all([household, resident])
    db_session.flush()
    db_session.add(Binding(resident_id=resident.id, household_id=household.id))
    db_session.commit()
    send_complaint(wechat)
    assert db_session.exec(select(Complaint)).one().community_id == community.id
