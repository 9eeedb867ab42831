"""Issue 16 item 6, through /wechat: a rating said in words right after the rating request,
and "我上回反映的墙皮那个事咋样了" → the resident's complaints' progress."""
from __future__ import annotations

import pytest
from sqlmodel import select

from bot.devtools.wechat_client import reply_text
from handlers.complaints.env import Actor
from models import Complaint
from tests.fixtures.complaints import WORKER

OPENID = "oResidentWords"


def say(wechat, text: str) -> str:
    status, reply = wechat.text(OPENID, text)
    assert status == 200
    return reply_text(reply)


@pytest.fixture
def resolved(make_complaint, department, db_session):
    """A complaint of OPENID's, resolved: the rating request has been sent."""
    dept = department(categories=("facility",))
    fixer = Actor("d", "department", dept.id)
    c = make_complaint(category="facility", description="楼道灯不亮", openid=OPENID,
                       steps=[("dispatch", WORKER, {}), ("sign", fixer, {}), ("resolve", fixer, {"note": "换了灯泡"})])
    assert c.state == "resolved"
    return c


def state_of(db_session, complaint: Complaint) -> tuple[str, str | None, int | None]:
    db_session.expire_all()
    c = db_session.get(Complaint, complaint.id)
    db_session.commit()
    return c.state, c.rating_result, c.rating_score


@pytest.mark.parametrize("words, result, score, state", [
    ("修好了，挺好的", "solved", 4, "closed"),
    ("灯已经换好了，很满意", "solved", 5, "closed"),
    ("搞定了", "solved", None, "closed"),
    ("好点了，不过还有点闪", "partly", None, "closed"),
    ("还是不亮", "not_solved", None, "reopened"),
    ("没人来修，不满意", "not_solved", 2, "reopened"),
])
def test_a_rating_in_words_right_after_the_request(wechat, db_session, resolved, words, result, score, state):
    reply = say(wechat, words)
    assert state_of(db_session, resolved) == (state, result, score)
    assert "已记下您的评价" in reply and resolved.ticket in reply


@pytest.mark.parametrize("words", ["修好了吗？", "楼道灯修好了没", "好的", "电梯坏了怎么办"])
def test_questions_and_plain_words_are_not_ratings(wechat, db_session, resolved, words):
    say(wechat, words)
    assert state_of(db_session, resolved)[0] == "resolved"


def test_words_without_a_rating_request_are_not_a_rating(wechat, db_session, make_complaint):
    c = make_complaint(category="facility", description="楼道灯不亮", openid=OPENID)
    assert "已记下您的评价" not in say(wechat, "修好了，挺好的")
    assert state_of(db_session, c)[0] == "submitted"


@pytest.mark.parametrize("question", ["我上回反映的墙皮那个事咋样了", "之前报修的墙皮脱落有进展吗",
                                      "前几天投诉墙皮掉了，现在处理了没", "墙皮的事怎么还没人管"])
def test_asking_after_a_complaint_in_words_gives_its_progress(wechat, make_complaint, question):
    make_complaint(category="facility", description="楼道墙皮大面积脱落", openid=OPENID)
    make_complaint(category="environment", description="垃圾桶满了没人清", openid=OPENID)
    reply = say(wechat, question)
    assert "您问的这件事" in reply and "墙皮大面积脱落" in reply and "垃圾桶" not in reply
    assert "待审核" in reply


def test_progress_without_a_matching_topic_lists_recent_complaints(wechat, make_complaint):
    make_complaint(category="environment", description="垃圾桶满了没人清", openid=OPENID)
    reply = say(wechat, "我上次反映的路灯那个事怎么样了")
    assert "没找到与“路灯”对得上的" in reply and "垃圾桶满了没人清" in reply


def test_progress_of_the_renovation_is_not_a_complaint_question(wechat, make_complaint):
    make_complaint(category="facility", description="楼道墙皮大面积脱落", openid=OPENID)
    assert "您问的" not in say(wechat, "电梯改造进度怎么样了")


def test_a_policy_question_with_such_words_still_goes_to_the_faq(wechat, make_complaint, faq_sample):
    make_complaint(category="facility", description="楼道墙皮大面积脱落", openid=OPENID)
    reply = say(wechat, "之前说的加装电梯补贴啥时候发")
    assert "您问的" not in reply and "没找到与" not in reply
