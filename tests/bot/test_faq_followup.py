"""Issue 16 item 5, end to end: a question "转给社区工作人员" through /wechat, one row per open
question with its askers, a worker's answer (or an entry that now answers it) sent to every
asker once through the outbox and the fake WeChat API (inside the 48-hour window a
customer-service message, outside it the template)."""
from __future__ import annotations

import pytest
from sqlmodel import select

from bot.devtools.wechat_client import SimulatedWeChat, reply_text
from models import Community, OutboundMessage, UnansweredAsker, UnansweredQuestion
from tests.fixtures.console import community_named, csrf_token, login
from tests.fixtures.fakewechat import APP_SECRET
from tests.fixtures.wechat import ACCOUNT, APP_ID, TOKEN, flask_transport

ALICE, BOB, CAROL = "oFollowupAlice00000000000001", "oFollowupBob0000000000000002", "oFollowupCarol000000000003"
UNKNOWN = "社区能不能办个书法班"
PROMISE = "转给社区工作人员"


@pytest.fixture
def wired(make_app, fake_wechat, tmp_path):
    # A busy machine may take seconds over the first question (the index is built): the reply is
    # what these tests read, so it must not go through the outbox for being late.
    return make_app({"wechat": {"api_base_url": fake_wechat.url, "app_secret": APP_SECRET, "api_timeout_s": 2.0,
                                "reply_budget_s": 60.0},
                     "outbox": {"templates": {"faq_followup": "TPL_FAQ_FOLLOWUP"}, "rate_per_s": 1000.0},
                     "clock": {"lock_path": str(tmp_path / "clock.lock")}})


@pytest.fixture
def wx(wired, clock):
    return SimulatedWeChat(transport=flask_transport(wired.test_client()), token=TOKEN, app_id=APP_ID,
                           account=ACCOUNT, clock=clock)


@pytest.fixture
def console(wired):
    return wired.test_client()


@pytest.fixture
def community(db_session) -> Community:
    found = community_named(db_session, "幸福里小区")
    db_session.commit()
    return found


def join(wx, openid: str, community: Community) -> None:
    status, _ = wx.event(openid, "subscribe", key=f"qrscene_community_{community.id}")
    assert status == 200


def ask(wx, openid: str, text: str) -> str:
    status, reply = wx.text(openid, text)
    assert status == 200
    return reply_text(reply)


def post(client, url: str, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/console/faq/unanswered"), **data})


def deliveries(fake, openid: str) -> list[dict]:
    return [c for c in fake.calls if c["path"].endswith(("custom/send", "template/send")) and c["errcode"] == 0
            and c["json"].get("touser") == openid]


def open_rows(db_session) -> list[UnansweredQuestion]:
    db_session.expire_all()
    rows = db_session.exec(select(UnansweredQuestion).where(UnansweredQuestion.status == "open")).all()
    db_session.commit()
    return list(rows)


def test_worker_answer_reaches_every_asker_once_inside_and_outside_the_window(
        wx, wired, console, fake_wechat, clock, db_session, faq_sample, community, staff_user, run_job):
    for openid in (ALICE, BOB):
        join(wx, openid, community)
    assert PROMISE in ask(wx, BOB, UNKNOWN)
    clock.advance(49 * 3600)  # Bob's 48-hour window closes
    assert PROMISE in ask(wx, ALICE, UNKNOWN + "？")
    assert PROMISE in ask(wx, ALICE, "社区，能不能办个书法班呀")  # the same question again, same asker
    [row] = open_rows(db_session)
    askers = db_session.exec(select(UnansweredAsker).where(UnansweredAsker.question_id == row.id)).all()
    assert sorted(a.openid for a in askers) == sorted([ALICE, BOB])
    db_session.commit()

    login(console, staff_user("worker", communities=["幸福里小区"]))
    assert "2 位居民问过" in console.get("/console/faq/unanswered").get_data(as_text=True)
    resp = post(console, f"/console/faq/unanswered/{row.id}/answer", answer="书法班已列入社区活动计划，每周六上午在活动室开课。")
    assert resp.status_code == 302
    run_job("outbox.deliver", on_app=wired)

    [to_alice] = deliveries(fake_wechat, ALICE)
    assert to_alice["path"].endswith("custom/send")
    assert "书法班已列入社区活动计划" in to_alice["json"]["text"]["content"] and UNKNOWN in to_alice["json"]["text"]["content"]
    [to_bob] = deliveries(fake_wechat, BOB)
    assert to_bob["path"].endswith("template/send") and to_bob["json"]["template_id"] == "TPL_FAQ_FOLLOWUP"
    assert "书法班已列入社区活动计划" in str(to_bob["json"]["data"])

    again = post(console, f"/console/faq/unanswered/{row.id}/answer", answer="再答一次")
    assert again.status_code == 302
    run_job("outbox.deliver", on_app=wired)
    assert len(deliveries(fake_wechat, ALICE)) == 1 and len(deliveries(fake_wechat, BOB)) == 1
    assert PROMISE in ask(wx, CAROL, UNKNOWN)  # asked after the answer: a new open row
    assert len(open_rows(db_session)) == 1


def test_same_question_in_another_community_is_its_own_row(wx, db_session, faq_sample, community):
    other = community_named(db_session, "和平里小区")
    db_session.commit()
    join(wx, ALICE, community)
    join(wx, BOB, other)
    ask(wx, ALICE, UNKNOWN)
    ask(wx, BOB, UNKNOWN)
    assert sorted(r.community_id for r in open_rows(db_session)) == sorted([community.id, other.id])


def test_an_edited_entry_that_now_answers_the_question_is_sent_to_the_asker(
        wx, wired, console, fake_wechat, db_session, faq_sample, community, staff_user, run_job):
    join(wx, ALICE, community)
    assert PROMISE in ask(wx, ALICE, UNKNOWN)
    [row] = open_rows(db_session)
    entry = faq_sample["怎么反映小区里的问题？"]
    login(console, staff_user("admin"))
    resp = console.post(f"/console/faq/{entry.id}", data={
        "csrf_token": csrf_token(console, "/console/faq/"), "question": entry.question,
        "alternatives": "\n".join([*entry.alternatives, UNKNOWN]), "answer": entry.answer,
        "category": entry.category, "active": "1"})
    assert resp.status_code == 302
    db_session.expire_all()
    assert db_session.get(UnansweredQuestion, row.id).status == "matched"
    db_session.commit()
    run_job("outbox.deliver", on_app=wired)
    [message] = deliveries(fake_wechat, ALICE)
    assert entry.answer.split("\n")[0] in message["json"]["text"]["content"]


def test_a_new_entry_made_from_the_question_is_sent_to_its_askers(
        wx, wired, console, fake_wechat, db_session, faq_sample, community, staff_user, run_job):
    join(wx, ALICE, community)
    join(wx, BOB, community)
    ask(wx, ALICE, UNKNOWN)
    ask(wx, BOB, UNKNOWN + "?")
    [row] = open_rows(db_session)
    login(console, staff_user("admin"))
    resp = post(console, f"/console/faq/unanswered/{row.id}/new", answer="书法班由社区文化站统一安排，可到居委会报名。")
    assert resp.status_code == 302
    run_job("outbox.deliver", on_app=wired)
    for openid in (ALICE, BOB):
        [message] = deliveries(fake_wechat, openid)
        assert "书法班由社区文化站统一安排" in message["json"]["text"]["content"]
    kinds = {m.kind for m in db_session.exec(select(OutboundMessage)).all()}
    assert kinds == {"faq_followup"}
