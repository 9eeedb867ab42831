"""kill -9 the clock while it delivers 1,000 messages, start it again: every message
delivered, duplicates no more than the messages in flight at the crash.

A short version of bench/outbox (which reports the same figures for longer runs)."""
from __future__ import annotations

import os
import signal
from collections import Counter

from sqlalchemy import func, insert, select
from sqlmodel import Session

from models import OutboundMessage, Resident
from models.base import utcnow
from tests.fixtures.fakewechat import APP_SECRET
from tests.fixtures.processes import start_clock, wait_for

MESSAGES = 1000
OPENIDS = [f"oCrash{i:03d}" for i in range(20)]


def write_config(path, database_url: str, fake_url: str, lock_path) -> None:
    path.write_text(f"""
[app]
env = "testing"
secret_key = "crash-test-secret"
[database]
url = "{database_url}"
[wechat]
app_id = "wx5e1a0c0ffee2024a"
app_secret = "{APP_SECRET}"
token = "OldCommunityToken2024"
api_base_url = "{fake_url}"
api_timeout_s = 2.0
[outbox]
rate_per_s = 400.0
burst = 20
batch_size = 100
[clock]
lock_path = "{lock_path}"
[clock.schedules]
"outbox.deliver" = {{seconds = 1}}
""")


def queue_messages(engine) -> None:
    now = utcnow()
    with Session(engine) as session:
        session.add_all([Resident(openid=o, last_interaction_at=now) for o in OPENIDS])
        session.execute(insert(OutboundMessage), [
            {"openid": OPENIDS[i % len(OPENIDS)], "kind": "notice", "payload": {"text": f"m{i}"},
             "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now}
            for i in range(MESSAGES)])
        session.commit()


def count(engine, status: str) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(OutboundMessage)
                               .where(OutboundMessage.status == status)).scalar_one()


def delivered(fake) -> list[str]:
    return [c["json"]["text"]["content"] for c in fake.calls_to("custom/send") if c["errcode"] == 0]


def test_kill_9_while_delivering_then_restart(make_app, database_url, fake_wechat, tmp_path):
    engine = make_app({"wechat": {"api_base_url": fake_wechat.url}}).extensions["linli.engine"]
    queue_messages(engine)
    config = tmp_path / "clock.toml"
    write_config(config, database_url, fake_wechat.url, tmp_path / "clock.lock")
    clock = start_clock(tmp_path / "clock.log", LINLI_CONFIG=str(config))
    try:
        wait_for(lambda: len(delivered(fake_wechat)) >= 300, 60, "300 deliveries")
        os.kill(clock.pid, signal.SIGKILL)
        clock.wait(10)
        sent_at_crash, in_flight = len(delivered(fake_wechat)), count(engine, "sending")
        clock = start_clock(tmp_path / "clock.log", LINLI_CONFIG=str(config))
        wait_for(lambda: count(engine, "sent") == MESSAGES, 90, "every message marked sent")
    finally:
        clock.send_signal(signal.SIGTERM)
        clock.wait(10)
    texts = Counter(delivered(fake_wechat))
    duplicates = sum(texts.values()) - MESSAGES
    print(f"\ncrash after {sent_at_crash} sends; in flight (claimed) {in_flight}; duplicates {duplicates}")
    assert set(texts) == {f"m{i}" for i in range(MESSAGES)}
    assert 0 <= duplicates <= in_flight
