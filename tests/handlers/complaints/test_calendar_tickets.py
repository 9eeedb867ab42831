"""Working days with Chinese holidays and 调休, and ticket numbers per local day."""
from __future__ import annotations

import threading
from datetime import date, datetime, timezone

from sqlmodel import Session

from handlers.complaints.calendar import WorkCalendar, load_file, seed
from models.localtime import zone
from handlers.complaints.tickets import next_ticket
from models import WorkCalendarDay


def local(*args) -> datetime:
    return datetime(*args, tzinfo=zone()).astimezone(timezone.utc)


def test_holidays_and_make_up_workdays_from_the_data_file():
    cal = WorkCalendar(load_file())
    assert not cal.is_workday(date(2026, 10, 5))  # 国庆
    assert cal.is_workday(date(2026, 10, 10))  # Saturday, 调休 workday
    assert not cal.is_workday(date(2026, 11, 21))  # an ordinary Saturday
    # Friday 30 Sept 2026 10:00 + 1 working day: skips the National Day week to Thursday 8 Oct.
    assert cal.add_workdays(local(2026, 9, 30, 10), 1) == local(2026, 10, 8, 10)
    assert cal.add_workdays(local(2026, 10, 8, 10), 1) == local(2026, 10, 9, 10)
    assert cal.add_workdays(local(2026, 10, 9, 10), 1) == local(2026, 10, 10, 10)  # the Saturday worked
    # Submitted on a Sunday: counts from Monday morning.
    assert cal.add_workdays(local(2026, 11, 22, 20), 1) == local(2026, 11, 24, 0)


def test_table_rows_are_editable_and_win_over_the_file(db_session):
    assert seed(session=db_session) > 30 and seed(session=db_session) == 0
    db_session.get(WorkCalendarDay, date(2026, 10, 10)).workday = False
    db_session.add(WorkCalendarDay(day=date(2026, 11, 23), workday=False, note="台风停工"))
    db_session.flush()
    cal = WorkCalendar.from_session(session=db_session)
    assert not cal.is_workday(date(2026, 10, 10)) and not cal.is_workday(date(2026, 11, 23))


def test_tickets_count_per_local_day(db_session):
    late = local(2026, 11, 21, 23, 59)
    assert next_ticket(session=db_session, now=late) == "SP20261121-0001"
    assert next_ticket(session=db_session, now=late) == "SP20261121-0002"
    assert next_ticket(session=db_session, now=local(2026, 11, 22, 0, 1)) == "SP20261122-0001"


def test_concurrent_submissions_never_share_a_ticket(app):
    engine, tickets, when = app.extensions["linli.engine"], [], local(2026, 11, 21, 9)

    def take():
        for _ in range(10):
            with Session(engine) as session:
                tickets.append(next_ticket(session=session, now=when))
                session.commit()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(tickets) == [f"SP20261121-{n:04d}" for n in range(1, 41)]
