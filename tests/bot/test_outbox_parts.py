"""Pieces of delivery: the token bucket, lanes keeping each resident's order, claims of dead runs."""
from __future__ import annotations

import threading
import time
from datetime import datetime, timezone

import redis as redis_lib
from sqlalchemy import update
from sqlmodel import Session

from bot.outbound import claims, lanes
from bot.outbound.channels import Outcome
from bot.outbound.ratelimit import RedisTokenBucket, TokenBucket
from models import OutboundMessage


class ManualClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_token_bucket_allows_the_burst_then_the_rate():
    clock = ManualClock()
    bucket = TokenBucket(10, 5, clock=clock, sleep=clock.sleep)
    for _ in range(5):
        bucket.take()
    assert clock.now == 0  # the burst
    for _ in range(20):
        bucket.take()
    assert abs(clock.now - 2.0) < 1e-6  # then 10 a second


def test_redis_bucket_is_shared_between_processes(redis_url):
    first = RedisTokenBucket(redis_lib.Redis.from_url(redis_url), 1, 3)
    second = RedisTokenBucket(redis_lib.Redis.from_url(redis_url), 1, 3)
    waits = [first.try_take(), second.try_take(), first.try_take(), second.try_take()]
    assert waits[:3] == [0, 0, 0] and waits[3] > 0.5


def claimed(i: int, openid: str) -> claims.Claimed:
    return claims.Claimed(id=i, openid=openid, kind="notice", payload={"text": str(i)}, attempts=0,
                          last_interaction_at=None)


def test_lanes_keep_each_residents_order_and_stop_together():
    batch = [claimed(i, f"o{i % 3}") for i in range(30)]
    seen: list[claims.Claimed] = []
    lock = threading.Lock()

    def send(msg):
        time.sleep(0.001)
        with lock:
            seen.append(msg)
        return Outcome("sent", "custom")

    results = [result for arrived in lanes.send_in_lanes(batch, send, 4) for result in arrived]
    assert len(results) == 30
    for openid in ("o0", "o1", "o2"):
        ids = [m.id for m in seen if m.openid == openid]
        assert ids == sorted(ids)
    stopped = [result for arrived in lanes.send_in_lanes(batch, lambda msg: Outcome("retry", error="x", stop=True), 1)
               for result in arrived]
    assert sum(outcome is None for _msg, outcome in stopped) == 29


def test_claims_of_a_dead_process_are_given_back(outbox):
    outbox.resident("oA")
    ids = outbox.queue("oA", "x", count=3)
    now = datetime.now(timezone.utc)
    with Session(outbox.engine) as session:
        assert len(claims.claim(f"{claims.HOST}:999999999:abc", now, 2, session=session)) == 2
        session.commit()
        assert claims.reclaim_abandoned(now, 300, session=session) == 2
        session.commit()
        live = claims.claim(claims.new_run_id(), now, 5, session=session)
        session.commit()
        assert claims.reclaim_abandoned(now, 300, session=session) == 0  # our own claims: alive
        assert sorted(c.id for c in live) == ids


def test_old_claims_are_given_back_after_the_timeout(outbox):
    outbox.resident("oA")
    [message_id] = outbox.queue("oA", "x")
    old = datetime(2020, 1, 1, tzinfo=timezone.utc)
    with Session(outbox.engine) as session:
        session.execute(update(OutboundMessage).where(OutboundMessage.id == message_id)
                        .values(status="sending", claimed_by="elsewhere:1:x", claimed_at=old))
        session.commit()
        assert claims.reclaim_abandoned(datetime.now(timezone.utc), 300, session=session) == 1
        session.commit()


def test_two_runs_at_once_never_send_a_message_twice(outbox, fake_wechat):
    for i in range(5):
        outbox.resident(f"o{i}")
    for i in range(5):
        outbox.queue(f"o{i}", f"r{i}-", count=20)
    threads = [threading.Thread(target=outbox.deliver) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    texts = outbox.sent_texts()
    assert len(texts) == 100 and len(set(texts)) == 100
