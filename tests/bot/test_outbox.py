"""Outbox delivery against the fake WeChat API, with injected failures."""
from __future__ import annotations

from collections import Counter

from sqlmodel import Session

from bot.clock.runner import run_job
from bot.outbound import service


def test_delivers_each_message_once_by_customer_service(outbox):
    outbox.resident("oA")
    ids = outbox.queue("oA", "您的投诉已受理", count=5)
    outbox.deliver()
    outbox.deliver()  # nothing left: no second send
    assert sorted(outbox.sent_texts()) == [f"您的投诉已受理{i}" for i in range(5)]
    assert {(r.status, r.channel, r.attempts) for r in outbox.rows()} == {("sent", "custom", 1)}
    assert all(outbox.row(i).sent_at is not None for i in ids)


def test_token_expiry_mid_run_refreshes_once(outbox, fake_wechat):
    outbox.resident("oA")
    outbox.queue("oA", "第一批", count=3)
    outbox.deliver()
    fake_wechat.expire_tokens()
    outbox.queue("oA", "第二批", count=3)
    outbox.deliver()
    assert [c["errcode"] for c in fake_wechat.calls_to("custom/send")][3:5] == [42001, 0]
    fake_wechat.fail("custom/send", 40001)  # as if someone else had refreshed the token
    outbox.queue("oA", "第三批", count=3)
    outbox.deliver()
    assert len(outbox.sent_texts()) == 9
    assert len(fake_wechat.calls_to("cgi-bin/token")) == 3  # first, after 42001, after 40001
    assert {r.status for r in outbox.rows()} == {"sent"}


def test_45015_falls_back_to_a_template_message(outbox, fake_wechat):
    outbox.resident("oA")
    fake_wechat.outside_window("oA")
    [message_id] = outbox.queue("oA", "您反映的问题已处理完毕")
    outbox.deliver()
    [template] = fake_wechat.calls_to("template/send")
    assert template["json"]["template_id"] == "TPL_NOTICE"
    assert template["json"]["data"] == {"content": {"value": "您反映的问题已处理完毕"}}
    row = outbox.row(message_id)
    assert (row.status, row.channel) == ("sent", "template")


def test_closed_window_goes_straight_to_a_template(outbox, fake_wechat):
    outbox.resident("oOld", hours_ago=72)
    outbox.queue("oOld", "征询提醒")
    outbox.deliver()
    assert fake_wechat.calls_to("custom/send") == []
    assert len(fake_wechat.calls_to("template/send")) == 1


def test_without_a_template_the_message_waits_for_the_next_interaction(outbox, wechat, clock):
    outbox.resident("oQuiet", hours_ago=72)
    [message_id] = outbox.queue("oQuiet", "请补充照片", kind="reply")  # no template for "reply"
    outbox.deliver()
    assert outbox.row(message_id).status == "waiting"
    status, _reply = wechat.send_fields("oQuiet", "text", {"Content": "你好"})
    assert status == 200
    assert outbox.row(message_id).status == "pending"
    outbox.deliver()
    assert outbox.row(message_id).status == "sent"
    assert outbox.sent_texts() == ["请补充照片"]


def test_45009_backs_off_then_delivers(outbox, fake_wechat, clock):
    outbox.resident("oA")
    first, *rest = outbox.queue("oA", "提醒", count=4)
    fake_wechat.fail("custom/send", 45009)
    outbox.deliver()  # the first send is refused: the run stops and gives back the batch
    row = outbox.row(first)
    assert (row.status, row.attempts) == ("pending", 1) and "45009" in row.last_error
    assert (row.next_attempt_at - outbox.now()).total_seconds() >= 30 * 0.8 - 1
    assert [outbox.row(i).attempts for i in rest] == [0, 0, 0]
    outbox.deliver()  # the others go now; the backed-off one waits
    assert [outbox.row(i).status for i in rest] == ["sent"] * 3 and outbox.row(first).status == "pending"
    clock.advance(40)
    outbox.deliver()
    assert outbox.row(first).status == "sent"
    assert Counter(outbox.sent_texts()) == Counter(f"提醒{i}" for i in range(4))


def test_api_down_for_a_while_then_everything_delivered_once(outbox, fake_wechat, clock):
    outbox.resident("oA")
    outbox.queue("oA", "通知", count=20)
    outbox.deliver()  # token fetched while up
    fake_wechat.go_down()
    outbox.queue("oA", "停机期间", count=20)
    for _ in range(3):
        outbox.deliver()
        clock.advance(5)
    assert sum(r.status == "sent" for r in outbox.rows()) == 20
    fake_wechat.come_up()
    for _ in range(4):
        clock.advance(120)
        outbox.deliver()
    texts = outbox.sent_texts()
    assert len(texts) == 40 and len(set(texts)) == 40
    assert {r.status for r in outbox.rows()} == {"sent"}


def test_dead_letter_after_max_attempts_and_retry(outbox, fake_wechat, clock):
    outbox.resident("oA")
    [message_id] = outbox.queue("oA", "多次失败")
    fake_wechat.fail("custom/send", 502, times=4)
    for _ in range(4):
        outbox.deliver()
        clock.advance(700)
    row = outbox.row(message_id)
    assert (row.status, row.attempts) == ("dead", 4) and "502" in row.last_error
    with Session(outbox.engine) as session:
        assert [r.id for r in service.list_dead(session=session)] == [message_id]
        service.retry(message_id, session=session)
        session.commit()
    outbox.deliver()
    assert outbox.row(message_id).status == "sent"
    assert outbox.sent_texts() == ["多次失败"]


def test_permanent_errors_go_dead_at_once(outbox, fake_wechat):
    outbox.resident("oGone")
    [message_id] = outbox.queue("oGone", "x")
    fake_wechat.fail("custom/send", 43004)  # the resident no longer follows the account
    outbox.deliver()
    row = outbox.row(message_id)
    assert (row.status, row.attempts) == ("dead", 1)


def test_retry_refuses_a_sent_message(outbox):
    outbox.resident("oA")
    [message_id] = outbox.queue("oA", "x")
    outbox.deliver()
    with Session(outbox.engine) as session:
        try:
            service.retry(message_id, session=session)
            raise AssertionError("a sent message cannot be retried")
        except LookupError:
            pass


def test_counts(outbox, fake_wechat):
    outbox.resident("oA")
    outbox.resident("oB", hours_ago=100)
    outbox.queue("oA", "a", count=2)
    outbox.queue("oB", "b", kind="reply")
    outbox.deliver()
    with Session(outbox.engine) as session:
        assert service.counts(session=session) == {"pending": 0, "sending": 0, "sent": 2, "waiting": 1, "dead": 0}


def test_a_wrong_secret_stops_the_run_without_burning_the_queue(make_app, fake_wechat, outbox, clock):
    bad = make_app({"wechat": {"api_base_url": fake_wechat.url, "app_secret": "wrong-secret"},
                    "outbox": {"max_attempts": 4}})
    outbox.resident("oA")
    outbox.queue("oA", "x", count=10)
    run_job(bad, "outbox.deliver")
    attempts = sorted(r.attempts for r in outbox.rows())
    assert attempts == [0] * 9 + [1] and {r.status for r in outbox.rows()} == {"pending"}


def test_subscription_notice_when_only_that_is_configured(outbox, fake_wechat):
    outbox.app.config["LINLI"]["outbox"]["subscriptions"] = {"survey_reminder": "SUB_1"}
    outbox.resident("oS", hours_ago=100)
    outbox.resident("oNo", hours_ago=100)
    fake_wechat.refuse_subscription("oNo")
    [accepted] = outbox.queue("oS", "请参加意见征询", kind="survey_reminder")
    [refused] = outbox.queue("oNo", "请参加意见征询", kind="survey_reminder")
    outbox.deliver()
    calls = fake_wechat.calls_to("subscribe/bizsend")
    assert [c["json"]["template_id"] for c in calls] == ["SUB_1", "SUB_1"]
    assert (outbox.row(accepted).status, outbox.row(accepted).channel) == ("sent", "subscribe")
    assert outbox.row(refused).status == "waiting"
