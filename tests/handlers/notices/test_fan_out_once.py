"""A notice's fan-out is idempotent: after a partial run, run again, or two at once, each resident holds one copy."""
from __future__ import annotations

import threading
from datetime import datetime, timezone

from sqlmodel import Session, func, select

from handlers.notices import service
from models import Notice, OutboundMessage
from models.notices import dedup_key
from models.outbox import enqueue_text
from tests.fixtures.notices import bound


def copies(db_session) -> dict[str, int]:
    db_session.expire_all()
    rows = db_session.exec(select(OutboundMessage.openid, func.count()).group_by(OutboundMessage.openid)).all()
    return dict(rows)


def test_a_notice_left_sending_is_finished_without_a_second_copy(db_session, roster, render, clock):
    for i, room in enumerate(["101", "201", "301"]):
        bound(db_session, f"o{i}", "2号楼", "1", room)
    now = datetime.fromtimestamp(clock.now, timezone.utc)
    notice = service.create(session=db_session, community=roster, title="停气", body="明天停气。", scope="2号楼",
                            kind="停气", actor="w", now=now)
    notice.status = "sending"  # as if a run had queued one copy and died before finishing
    enqueue_text(openid="o1", text="停气", kind="notice", dedup_key=dedup_key(notice.id, "o1"), session=db_session)
    db_session.commit()
    assert service.send_due(session=db_session, now=now, render=render) == {"notices": 1, "queued": 2}
    assert service.send_due(session=db_session, now=now, render=render) == {"notices": 0, "queued": 0}
    db_session.commit()
    assert copies(db_session) == {"o0": 1, "o1": 1, "o2": 1}
    assert db_session.get(Notice, notice.id).status == "sent"


def test_two_fan_outs_at_once_queue_one_copy_each(app, db_session, roster, render, clock):
    for i in range(40):
        bound(db_session, f"o{i:02d}", "1号楼", "1" if i % 2 else "2", "101" if i % 2 else "202")
    now = datetime.fromtimestamp(clock.now, timezone.utc)
    notice = service.create(session=db_session, community=roster, title="开会", body="周六开会。", kind="会议",
                            actor="w", now=now)
    db_session.commit()
    engine, added, start = app.extensions["linli.engine"], [], threading.Barrier(2)

    def run() -> None:
        with Session(engine) as session:
            start.wait()
            added.append(service.fan_out(session.get(Notice, notice.id), session=session, now=now, render=render))
            session.commit()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(added) == [0, 40]
    assert set(copies(db_session).values()) == {1} and len(copies(db_session)) == 40
