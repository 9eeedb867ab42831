"""gunicorn's threaded worker, telling the app how long each request waited.

The worker's main thread accepts connections as they come and hands each
request to a thread pool.  Above the machine's capacity requests wait in that
pool's queue, not in the kernel, so the wait can be measured: the worker puts
the ``time.monotonic()`` of the hand-over in the WSGI environ as
``linli.queued_at``.  ``/wechat`` uses it to answer within WeChat's 5 seconds
(a message that waited too long is acknowledged and answered through the
outbox, see ``bot.wechat.backlog``).

Past even that path's capacity the queue would grow without bound, so a
``POST /wechat`` that waited longer than ``wechat.drop_after_s`` (3 s) is
answered 503 at once, before any work: it could no longer be answered safely
inside WeChat's 5 s, which then retries it as it retries a timeout (the
retry is a new request, handled once the burst has passed).  Nothing was
acknowledged, so nothing is lost.  ``drop_after_s = 0`` turns this off (a
platform that does not retry a 503 would rather time out).

gunicorn.conf.py makes this the default worker class.
"""
from __future__ import annotations

import errno
import logging
import sys
import threading
import time

from gunicorn.workers.gthread import TConn, ThreadWorker

QUEUED_AT = "linli.queued_at"
BUSY = b"busy: retry"

log = logging.getLogger(__name__)

_current = threading.local()


ACCEPT_BATCH = 64
SWITCH_INTERVAL_S = 0.001  # CPython's default 5 ms lets a busy handler thread starve the accepting one


class StampedThreadWorker(ThreadWorker):
    """gthread, plus the moment each request was handed to the thread pool."""

    def init_process(self):
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        super().init_process()

    def accept(self, listener):
        """Take every waiting connection (up to a batch), not one per wake-up: under a burst the
        kernel's listen queue would overflow and clients would wait for SYN retransmits (1 s, 3 s)."""
        for _ in range(ACCEPT_BATCH):
            if self.nr_conns >= self.worker_connections:
                return
            try:
                client_sock, client_addr = listener.accept()
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                    raise
                return
            self.nr_conns += 1
            client_sock.setblocking(True)
            self.enqueue_req(TConn(self.cfg, client_sock, client_addr, listener.getsockname()))

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
        drop_after = drop_after_s(inner)
        dropped = [0]

        def stamped(environ, start_response):
            queued_at = getattr(_current, "queued_at", None)
            if queued_at is not None:
                environ[QUEUED_AT] = queued_at
                if too_late(environ, queued_at, drop_after):
                    dropped[0] += 1
                    if dropped[0] % 100 == 1:
                        log.warning("web: over capacity, %d WeChat requests dropped after %.1f s in the queue",
                                    dropped[0], drop_after)
                    start_response("503 Service Unavailable", [("Content-Type", "text/plain"),
                                                               ("Content-Length", str(len(BUSY)))])
                    return [BUSY]
            return inner(environ, start_response)

        stamped.__wrapped__ = inner  # the Flask app, for post_worker_init's warm-up
        self.wsgi = stamped


def drop_after_s(app) -> float | None:
    """``wechat.drop_after_s`` of a Linli app (None for any other WSGI app, or 0: never drop)."""
    try:
        value = float(app.config["LINLI"]["wechat"]["drop_after_s"])
    except (AttributeError, KeyError, TypeError, ValueError):
        return None
    return value or None


def too_late(environ: dict, queued_at: float, drop_after: float | None) -> bool:
    return (drop_after is not None and environ.get("REQUEST_METHOD") == "POST"
            and environ.get("PATH_INFO") == "/wechat" and time.monotonic() - queued_at > drop_after)


def waited_s(environ: dict, now: float | None = None) -> float:
    """Seconds the request waited before the app saw it (0 without a stamping server)."""
    queued_at = environ.get(QUEUED_AT)
    if not isinstance(queued_at, float):
        return 0.0
    return max(0.0, (time.monotonic() if now is None else now) - queued_at)
