"""Readable ticket numbers: SP + local date + per-day sequence, e.g. SP20261121-0042.

The counter row is bumped with a single UPDATE, which takes the row lock on
PostgreSQL (and the database lock on SQLite, BEGIN IMMEDIATE): two submissions
at once get two numbers, never the same one.  ``complaint.ticket`` is unique too.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import TicketCounter
from models.localtime import local

PREFIX = "SP"


def next_ticket(*, session: Session, now: datetime) -> str:
    day = local(now).strftime("%Y%m%d")
    bumped = session.execute(update(TicketCounter).where(TicketCounter.day == day)
                             .values(last=TicketCounter.last + 1))
    if bumped.rowcount == 0:
        try:
            with session.begin_nested():
                session.add(TicketCounter(day=day, last=1))
        except IntegrityError:  # another transaction created today's row first
            session.execute(update(TicketCounter).where(TicketCounter.day == day)
                            .values(last=TicketCounter.last + 1))
    session.flush()
    last = session.exec(select(TicketCounter.last).where(TicketCounter.day == day)).one()
    return f"{PREFIX}{day}-{last:04d}"
