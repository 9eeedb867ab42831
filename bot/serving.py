"""gunicorn's threaded worker, telling the app how long each request waited.

The worker's main thread accepts connections as they come and hands each
request to a thread pool.  Above the machine's capacity requests wait in that
pool's queue, not in the kernel, so the wait can be measured: the worker puts
the ``time.monotonic()`` of the hand-over in the WSGI environ as
``linli.queued_at``.  ``/wechat`` uses it to answer within WeChat's 5 seconds
(a message that waited too long is acknowledged and answered through the
outbox, see ``bot.wechat.backlog``).

gunicorn.conf.py makes this the default worker class.
"""
from __future__ import annotations

import threading
import time

from gunicorn.workers.gthread import ThreadWorker

QUEUED_AT = "linli.queued_at"

_current = threading.local()


class StampedThreadWorker(ThreadWorker):
    """gthread, plus the moment each request was handed to the thread pool."""

    def enqueue_req(self, conn):
        conn.linli_queued_at = time.monotonic()  # every request: new and kept-alive connections
        super().enqueue_req(conn)

    def handle(self, conn):
        _current.queued_at = getattr(conn, "linli_queued_at", None)
        try:
            return super().handle(conn)
        finally:
            _current.queued_at = None

    def load_wsgi(self):
        super().load_wsgi()
        inner = self.wsgi

        def stamped(environ, start_response):
            queued_at = getattr(_current, "queued_at", None)
            if queued_at is not None:
                environ[QUEUED_AT] = queued_at
            return inner(environ, start_response)

        stamped.__wrapped__ = inner  # the Flask app, for post_worker_init's warm-up
        self.wsgi = stamped


def waited_s(environ: dict, now: float | None = None) -> float:
    """Seconds the request waited before the app saw it (0 without a stamping server)."""
    queued_at = environ.get(QUEUED_AT)
    if not isinstance(queued_at, float):
        return 0.0
    return max(0.0, (time.monotonic() if now is None else now) - queued_at)
