"""After submission, in chat: need-info replies, ratings (not solved reopens), duplicates, moderation flags."""
from __future__ import annotations

from sqlmodel import select

from handlers.complaints import duplicates, staffwork
from handlers.complaints.lifecycle import transition
from models import Complaint, ComplaintEvent, ComplaintPhoto
from tests.fixtures.complaints import WORKER, add_after_photo

OPENID = "oResidentFollow"


def submitted(wechat, base: int):
    wechat.image(OPENID, f"M{base}", msg_id=base)
    wechat.text(OPENID, "北门路灯坏了", msg_id=base + 1)
    status, reply = wechat.text(OPENID, "4", msg_id=base + 2)
    assert "编号" in reply["Content"]


def test_replying_during_need_info_adds_to_the_complaint(wechat, db_session, complaint_env):
    submitted(wechat, 5_000)
    c = db_session.exec(select(Complaint)).one()
    transition(c, "request_info", env=complaint_env(), actor=WORKER, note="是哪一个路灯？")
    db_session.commit()
    status, reply = wechat.text(OPENID, "靠近垃圾站那个", msg_id=5_010)
    assert "已收到您的补充" in reply["Content"]
    status, reply = wechat.image(OPENID, "M_more", msg_id=5_011)
    db_session.expire_all()
    c = db_session.exec(select(Complaint)).one()
    assert c.state == "submitted" and "【补充】靠近垃圾站那个" in c.description
    assert len(db_session.exec(select(Complaint)).all()) == 1  # the photo did not start a new complaint


def test_rating_not_solved_reopens_and_solved_closes(wechat, db_session, complaint_env, department, clock):
    dept = department(categories=("facility",))
    from handlers.complaints.env import Actor
    submitted(wechat, 6_000)
    c = db_session.exec(select(Complaint)).one()
    for action in ("dispatch", "sign"):
        transition(c, action, env=complaint_env(), actor=WORKER if action == "dispatch" else
                   Actor("d", "department", dept.id))
    add_after_photo(db_session, c)
    transition(c, "resolve", env=complaint_env(), actor=Actor("d", "department", dept.id), note="换了灯泡")
    db_session.commit()
    status, reply = wechat.text(OPENID, "我的诉求", msg_id=6_009)
    assert "待您评价" in reply["Content"]
    status, reply = wechat.text(OPENID, "3", msg_id=6_010)
    assert "重新打开" in reply["Content"]
    db_session.expire_all()
    assert db_session.get(Complaint, c.id).state == "reopened"
    status, reply = wechat.text(OPENID, "3", msg_id=6_011)
    assert "重新打开" not in reply.get("Content", "")  # nothing left to rate


def test_duplicate_suggestions_are_near_same_category_and_recent(make_complaint, complaint_env, clock):
    original = make_complaint(category="water", lat=38.0400, lng=114.5100, openid="oA")
    near = make_complaint(category="water", lat=38.0410, lng=114.5100, openid="oB")  # ~111 m
    make_complaint(category="water", lat=38.0500, lng=114.5100, openid="oC")  # ~1.1 km
    make_complaint(category="environment", lat=38.0400, lng=114.5100, openid="oD")
    found = duplicates.suggestions(near, env=complaint_env())
    assert [(c.id, round(d)) for c, d in found] == [(original.id, 111)]
    clock.advance(10 * 86400)
    late = make_complaint(category="water", lat=38.0400, lng=114.5101, openid="oE")
    assert duplicates.suggestions(late, env=complaint_env()) == [] or \
        all(c.id != original.id for c, _ in duplicates.suggestions(late, env=complaint_env()))


def test_moderation_flags_are_not_states(make_complaint, complaint_env, db_session):
    c = make_complaint()
    photo = ComplaintPhoto(complaint_id=c.id, status="stored")
    db_session.add(photo)
    db_session.flush()
    staffwork.set_hidden(c, True, env=complaint_env(), actor=WORKER, note="含个人信息")
    staffwork.redact_photo(photo, env=complaint_env(), actor=WORKER, note="拍到人脸")
    assert c.hidden and photo.redacted and c.state == "submitted"
    actions = db_session.exec(select(ComplaintEvent.action).where(ComplaintEvent.complaint_id == c.id)).all()
    assert actions == ["submit", "hide", "redact_photo"]
