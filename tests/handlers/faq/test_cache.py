"""Each worker's index follows console edits within CHECK_EVERY_S, without a restart."""
from __future__ import annotations

import time

from handlers.faq import cache as cache_mod
from handlers.faq import service
from handlers.faq.cache import IndexCache


class Ticks:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "index was not rebuilt"
        time.sleep(0.01)


def test_two_workers_see_an_edit_after_the_check_interval(db_session):
    service.save_entry({"question": "停车怎么收费？", "answer": "业主决定"}, actor="t", session=db_session)
    db_session.commit()
    ticks_a, ticks_b = Ticks(), Ticks()
    worker_a, worker_b = IndexCache(clock=ticks_a), IndexCache(clock=ticks_b)
    assert [d.question for d in worker_a.get(session=db_session).docs] == ["停车怎么收费？"]
    assert worker_b.get(session=db_session).search("停车收费")[0].question == "停车怎么收费？"
    db_session.commit()

    service.save_entry({"question": "加装电梯有补贴吗？", "answer": "有"}, actor="admin", session=db_session)
    db_session.commit()
    ticks_b.now += cache_mod.CHECK_EVERY_S / 2
    assert len(worker_b.get(session=db_session).docs) == 1  # not checked yet: still the old index
    ticks_b.now += cache_mod.CHECK_EVERY_S
    worker_b.get(session=db_session)  # sees the new version, rebuilds in the background meanwhile
    wait_for(lambda: len(worker_b.index.docs) == 2)
    assert worker_b.get(session=db_session).search("装电梯补贴")[0].question == "加装电梯有补贴吗？"
    db_session.commit()


def test_hidden_entries_leave_the_index(db_session):
    entry = service.save_entry({"question": "违建要拆吗？", "answer": "依法处置"}, actor="t", session=db_session)
    db_session.commit()
    worker = IndexCache(clock=Ticks())
    assert len(worker.get(session=db_session).docs) == 1
    service.set_active(entry.id, False, actor="admin", session=db_session)
    db_session.commit()
    assert worker.rebuild_now(session=db_session).docs == []
    db_session.commit()
