"""Retries racing on two workers: one record, one side effect, the same reply."""
import threading
import time

import pytest
from sqlmodel import select

from bot.devtools.wechat_client import SimulatedWeChat
from handlers import registry, replies
from models import InboundMessage, OutboundMessage
from models.outbox import enqueue_text
from tests.fixtures.wechat import ACCOUNT, APP_ID, OPENID, TOKEN, flask_transport

SLOW_WORD = "慢慢处理"


@pytest.fixture
def slow_side_effect():
    """A keyword handler that takes a while and queues one outbox message (a side effect)."""
    def handler(inbound, ctx):
        time.sleep(0.3)
        enqueue_text(openid=ctx.openid, text="side effect", session=ctx.session)
        return replies.text(f"处理完毕 {time.perf_counter_ns()}")
    registry.KEYWORDS[registry.normalize(SLOW_WORD)] = handler
    yield
    del registry.KEYWORDS[registry.normalize(SLOW_WORD)]


def sims(apps, clock):
    return [SimulatedWeChat(transport=flask_transport(a.test_client()), token=TOKEN, app_id=APP_ID,
                            account=ACCOUNT, clock=clock) for a in apps]


def race(calls):
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()
    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_same_message_on_two_workers_at_once(make_app, db_session, clock, slow_side_effect):
    worker_a, worker_b = make_app(), make_app()  # two engines: like two gunicorn workers
    sim_a, sim_b = sims([worker_a, worker_b], clock)
    results = race([lambda: sim_a.text(OPENID, SLOW_WORD, msg_id=777001),
                    lambda: sim_b.text(OPENID, SLOW_WORD, msg_id=777001)])
    (status_a, reply_a), (status_b, reply_b) = results
    assert status_a == status_b == 200
    assert reply_a["Content"] == reply_b["Content"]
    assert len(db_session.exec(select(InboundMessage)).all()) == 1
    assert len(db_session.exec(select(OutboundMessage)).all()) == 1


def test_three_sequential_retries_of_an_event(app, wechat, db_session):
    for _ in range(3):
        status, reply = wechat.event(OPENID, "CLICK", "FAQ", create_time=1795000010)
        assert status == 200
    rows = db_session.exec(select(InboundMessage)).all()
    assert len(rows) == 1 and rows[0].dedup_key.startswith("evt:")


def test_distinct_events_are_not_merged(app, wechat, db_session):
    """wechatpy gives every event id 0; our key must still tell them apart."""
    wechat.event(OPENID, "subscribe", create_time=1795000010)
    wechat.event(OPENID, "CLICK", "BIND", create_time=1795000011)
    wechat.event("oAnotherResident", "CLICK", "BIND", create_time=1795000011)
    assert len(db_session.exec(select(InboundMessage)).all()) == 3


def test_handler_crash_gets_apology_and_message_is_kept(app, wechat, db_session):
    def boom(inbound, ctx):
        enqueue_text(openid=ctx.openid, text="must be rolled back", session=ctx.session)
        raise RuntimeError("bug")
    registry.KEYWORDS["爆炸"] = boom
    try:
        status, reply = wechat.text(OPENID, "爆炸", msg_id=880001)
        again_status, again = wechat.text(OPENID, "爆炸", msg_id=880001)
    finally:
        del registry.KEYWORDS["爆炸"]
    assert status == again_status == 200
    assert "抱歉" in reply["Content"] and again["Content"] == reply["Content"]
    rows = db_session.exec(select(InboundMessage)).all()
    assert [r.status for r in rows] == ["failed"]
    assert rows[0].payload["Content"] == "爆炸"
    assert db_session.exec(select(OutboundMessage)).all() == []
