"""One run of the delivery job: claim, send at the configured rate, mark each row.

Sends run on a few lanes (bot.outbound.lanes); rows are marked in a short
transaction as soon as their answers arrive (all that have arrived together),
and no send waits inside a transaction (SQLite would hold its write lock across the network call).  When WeChat looks unavailable (network, 5xx) or
rate-limited (45009), the run gives back the rest of its batch and ends: the
failing row is backed off, and the next run, a few seconds later, probes again.
"""
from __future__ import annotations

import logging
import random
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy import select, update
from sqlmodel import Session

from bot.outbound import channels, claims, lanes
from bot.outbound.ratelimit import TokenBucket
from bot.wechat.api import WeChatApi
from models import OutboundMessage, Resident

log = logging.getLogger(__name__)
TABLE = OutboundMessage.__table__  # Core statements: the ORM's bulk machinery costs more than the write


@dataclass
class Delivery:
    api: WeChatApi
    bucket: TokenBucket
    settings: dict  # the [outbox] section
    clock: Callable[[], float]  # epoch seconds (the app's clock)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), timezone.utc)

    @property
    def claim_size(self) -> int:
        """No more than about ten seconds of sending, so claims stay young."""
        return max(1, min(int(self.settings["batch_size"]), int(float(self.settings["rate_per_s"]) * 10)))


def run(delivery: Delivery, *, session: Session) -> Counter:
    """Deliver due rows until none are left, WeChat stops us, or ``send_timeout_s`` passes."""
    summary: Counter = Counter()
    run_id, started = claims.new_run_id(), time.monotonic()
    summary["reclaimed"] = claims.reclaim_abandoned(delivery.now(), delivery.settings["claim_timeout_s"],
                                                    session=session)
    session.commit()
    while time.monotonic() - started < float(delivery.settings["send_timeout_s"]):
        batch = claims.claim(run_id, delivery.now(), delivery.claim_size, session=session)
        session.commit()
        if not batch or not deliver_batch(delivery, run_id, batch, summary, session=session):
            break
    return +summary


def deliver_batch(delivery: Delivery, run_id: str, batch: list[claims.Claimed],
                  summary: Counter, *, session: Session) -> bool:
    """Send a claimed batch, marking rows as their answers arrive; False when the run should stop."""
    unsent, keep_going = [], True
    for arrived in lanes.send_in_lanes(batch, lambda msg: send_one(delivery, msg),
                                       int(delivery.settings["concurrency"])):
        unsent += [msg.id for msg, outcome in arrived if outcome is None]
        answered = [(msg, outcome) for msg, outcome in arrived if outcome is not None]
        mark_sent(run_id, [(m, o) for m, o in answered if o.status == "sent"], delivery.now(), session=session)
        for msg, outcome in answered:
            summary[outcome.status] += 1
            if outcome.stop and keep_going:
                log.warning("outbox: WeChat refused (%s); this run stops and the rest waits", outcome.error)
            keep_going = keep_going and not outcome.stop
            if outcome.status != "sent":
                mark(run_id, msg, outcome, delivery, session=session)
        session.commit()
    if unsent:
        claims.release(run_id, unsent, session=session)
        session.commit()
    return keep_going


def send_one(delivery: Delivery, msg: claims.Claimed) -> channels.Outcome:
    delivery.bucket.take()
    return channels.deliver_one(delivery.api, msg, now=delivery.now(), settings=delivery.settings)


def mark_sent(run_id: str, sent: list[tuple[claims.Claimed, channels.Outcome]],
              now: datetime, *, session: Session) -> None:
    """One UPDATE per channel for the rows WeChat accepted."""
    for channel in {outcome.channel for _msg, outcome in sent}:
        ids = [msg.id for msg, outcome in sent if outcome.channel == channel]
        session.execute(TABLE.update().where(TABLE.c.id.in_(ids), TABLE.c.claimed_by == run_id).values(
            status="sent", sent_at=now, channel=channel, attempts=TABLE.c.attempts + 1, last_error=None,
            claimed_by=None, claimed_at=None))


def mark(run_id: str, msg: claims.Claimed, outcome: channels.Outcome, delivery: Delivery, *, session: Session) -> None:
    """A row not sent this time: waiting, retried later, or dead."""
    now, settings = delivery.now(), delivery.settings
    values: dict = {"claimed_by": None, "claimed_at": None, "last_error": outcome.error}
    if outcome.status == "waiting":
        values.update(status="waiting")
    elif outcome.status == "dead" or msg.attempts + 1 >= int(settings["max_attempts"]):
        values.update(status="dead", attempts=msg.attempts + 1)
        log.warning("outbox: message %s is a dead letter after %s attempt(s): %s", msg.id, msg.attempts + 1,
                    outcome.error)
    else:
        values.update(status="pending", attempts=msg.attempts + 1,
                      next_attempt_at=now + timedelta(seconds=backoff_s(msg.attempts + 1, settings)))
    session.execute(TABLE.update().where(TABLE.c.id == msg.id, TABLE.c.claimed_by == run_id).values(**values))
    if outcome.status == "waiting":
        wake_if_interacted(msg, session=session)


def wake_if_interacted(msg: claims.Claimed, *, session: Session) -> None:
    """The resident may have written while we were sending: then the window is open again."""
    since = msg.last_interaction_at or datetime(1970, 1, 1, tzinfo=timezone.utc)
    interacted = select(Resident.id).where(Resident.openid == msg.openid, Resident.last_interaction_at > since)
    session.execute(update(OutboundMessage).where(OutboundMessage.id == msg.id, OutboundMessage.status == "waiting",
                                                  interacted.exists()).values(status="pending"))


def backoff_s(attempts: int, settings: dict) -> float:
    """Exponential backoff with ±20% jitter, so retries of a large batch spread out."""
    base = float(settings["backoff_base_s"]) * 2 ** (attempts - 1)
    return min(float(settings["backoff_max_s"]), base) * random.uniform(0.8, 1.2)
