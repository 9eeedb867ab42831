"""Send a claimed batch on a few parallel lanes; one resident's messages always share a lane.

WeChat answers in tens of milliseconds, so one sender alone could not reach
the configured rate; a few lanes can, while each resident still gets their
messages in queue order.  The caller (the run's thread) marks results as
they arrive (all that have arrived, in one transaction), so the database
keeps a single writer per run and a fast stream is marked in groups.  When a send says
stop (WeChat down or rate-limited) the lanes hand back what they have not sent.
"""
from __future__ import annotations

import queue
import threading
import zlib
from collections import defaultdict
from typing import Callable, Iterator

from bot.outbound.channels import Outcome
from bot.outbound.claims import Claimed

Result = tuple[Claimed, Outcome | None]  # None: not attempted (the run stopped)


def send_in_lanes(batch: list[Claimed], send: Callable[[Claimed], Outcome], lanes: int) -> Iterator[list[Result]]:
    """Yield the results that have arrived (at least one each time) until every message has one."""
    groups: dict[int, list[Claimed]] = defaultdict(list)
    for msg in batch:
        groups[zlib.crc32(msg.openid.encode()) % max(1, lanes)].append(msg)
    results: queue.SimpleQueue[Result] = queue.SimpleQueue()
    stop = threading.Event()
    threads = [threading.Thread(target=_lane, args=(msgs, send, results, stop), daemon=True, name="outbox-lane")
               for msgs in groups.values()]
    for thread in threads:
        thread.start()
    remaining = len(batch)
    while remaining:
        arrived = [results.get()]
        while len(arrived) < remaining and not results.empty():
            arrived.append(results.get())
        remaining -= len(arrived)
        yield arrived
    for thread in threads:
        thread.join()


def _lane(msgs: list[Claimed], send: Callable[[Claimed], Outcome], results: queue.SimpleQueue,
          stop: threading.Event) -> None:
    for msg in msgs:
        if stop.is_set():
            results.put((msg, None))
            continue
        try:
            outcome = send(msg)
        except Exception as exc:  # a bug must not lose the row: retry it later, stop this run
            outcome = Outcome("retry", error=f"internal error: {type(exc).__name__}"[:500], stop=True)
        if outcome.stop:
            stop.set()
        results.put((msg, outcome))
