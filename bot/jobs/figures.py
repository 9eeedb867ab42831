"""The daily figures snapshot: one row a day of counts operators follow."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func
from sqlmodel import Session, select

from bot import db, runtime
from bot.clock.registry import job
from bot.outbound import service as outbox
from models import InboundMessage, Resident, localtime
from models.outbound import DailyFigures


def take_snapshot(*, session: Session, day: date, now: datetime) -> DailyFigures:
    """Count ``day`` (a local date) into its row, creating or updating it (idempotent); flushes."""
    start = localtime.day_start(day)
    end = start + timedelta(days=1)
    row = session.exec(select(DailyFigures).where(DailyFigures.day == day)).first() or DailyFigures(day=day)
    row.residents = session.exec(select(func.count()).select_from(Resident)).one()
    row.residents_active = session.exec(select(func.count()).select_from(Resident)
                                        .where(Resident.active.is_(True))).one()
    row.inbound_messages = session.exec(select(func.count()).select_from(InboundMessage)
                                        .where(InboundMessage.received_at >= start,
                                               InboundMessage.received_at < end)).one()
    counts = outbox.counts(session=session)
    row.outbox_pending = counts["pending"] + counts["sending"]
    row.outbox_waiting, row.outbox_sent, row.outbox_dead = counts["waiting"], counts["sent"], counts["dead"]
    row.taken_at = now
    session.add(row)
    session.flush()
    return row


@job("figures.daily_snapshot", trigger="cron", hour=23, minute=50, misfire_grace_time=3600)
def daily_snapshot() -> str:
    """Count today's residents, inbound messages and outbox states into daily_figures."""
    app = current_app
    now = runtime.now(app)
    row = take_snapshot(day=localtime.today(now), now=now, session=db.session())
    return (f"{row.day}: residents {row.residents}, inbound {row.inbound_messages}, "
            f"outbox pending {row.outbox_pending} waiting {row.outbox_waiting} sent {row.outbox_sent} "
            f"dead {row.outbox_dead}")
