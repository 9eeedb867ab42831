"""Each worker's FAQ index, rebuilt when the FAQ changed (seen within ~2 s).

The cache lives in the app's services dict (one per process, so one per web
worker).  At most every ``CHECK_EVERY_S`` it reads a cheap version key: the
``FaqVersion`` counter that every edit bumps, plus the count and latest
``updated_at`` of the entries (which also catches rows written directly).
After the first build a change is rebuilt in a background thread while the
old index keeps answering, so no resident waits for a rebuild.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from sqlalchemy import func
from sqlmodel import Session, select

from handlers.faq import learned, semantic, sentence
from handlers.faq.index import Doc, Index
from models import FaqEntry, FaqVersion, UnansweredQuestion

log = logging.getLogger(__name__)

CHECK_EVERY_S = 2.0
OUTSIDE_LIMIT = 5000
_MAKING = threading.Lock()  # two first questions at once make one cache


def version_key(*, session: Session) -> tuple:
    version = session.exec(select(FaqVersion.version).where(FaqVersion.id == 1)).first() or 0
    count, latest = session.exec(select(func.count(FaqEntry.id), func.max(FaqEntry.updated_at))).one()
    return version, count, str(latest)


def load_docs(*, session: Session) -> list[Doc]:
    rows = session.exec(select(FaqEntry).where(FaqEntry.active == True).order_by(FaqEntry.id)).all()  # noqa: E712
    return [Doc(row.id, row.question, tuple(row.alternatives or ()), row.answer, row.category, row.article_id)
            for row in rows]


def load_marked(*, session: Session) -> list[str]:
    """The questions admins marked outside this FAQ (the latest ``OUTSIDE_LIMIT``)."""
    return list(session.exec(select(UnansweredQuestion.text).where(UnansweredQuestion.status == "outside")
                             .order_by(UnansweredQuestion.resolved_at.desc()).limit(OUTSIDE_LIMIT)).all())


def load_outside(*, session: Session) -> list[str]:
    """The shipped questions known to be outside a FAQ and the ones admins marked outside this one."""
    return [*learned.outside_questions(), *load_marked(session=session)]


def build(*, session: Session) -> Index:
    return Index.build(load_docs(session=session), marked=load_marked(session=session))


class IndexCache:
    """The index of one process; ``get(session=session)`` is all a handler needs."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.index: Index | None = None
        self.key: tuple | None = None
        self.checked_at = float("-inf")
        self._lock = threading.Lock()
        self._rebuilding = False

    def get(self, *, session: Session) -> Index:
        if self.index is None or self.clock() - self.checked_at >= CHECK_EVERY_S:
            self._refresh(session=session)
        return self.index

    def invalidate(self) -> None:
        """Check the version on the next question (an edit made in this process)."""
        self.checked_at = float("-inf")

    def _refresh(self, *, session: Session) -> None:
        key = version_key(session=session)
        self.checked_at = self.clock()
        if key == self.key:
            return
        if self.index is None:
            self.index, self.key = build(session=session), key
            return
        with self._lock:
            if self._rebuilding:
                return
            self._rebuilding = True
        try:  # read here, in the request's session; the thread only computes
            docs, marked = load_docs(session=session), load_marked(session=session)
        except Exception:
            self._rebuilding = False
            raise
        threading.Thread(target=self._rebuild, args=(docs, marked, key), daemon=True, name="faq-index").start()

    def _rebuild(self, docs: list[Doc], marked: list[str], key: tuple) -> None:
        try:
            index = Index.build(docs, marked=marked)
            self.index, self.key = index, key
        except Exception:  # keep answering with the old index
            log.exception("faq: index rebuild failed")
        finally:
            self._rebuilding = False

    def warm(self, open_session: Callable[[], Session]) -> Index:
        """Build the first index with the database released while it is computed.

        The entries are read in a session of their own, closed before the build:
        on SQLite every transaction holds the write lock (BEGIN IMMEDIATE), and a
        build of seconds inside one would make every other process's writes wait.
        """
        with open_session() as session:
            key, docs, marked = version_key(session=session), load_docs(session=session), load_marked(session=session)
        index = Index.build(docs, marked=marked)
        self.index, self.key, self.checked_at = index, key, self.clock()
        return index

    def rebuild_now(self, *, session: Session) -> Index:
        """Build synchronously (console "try a question" right after an edit)."""
        self.index, self.key = build(session=session), version_key(session=session)
        self.checked_at = self.clock()
        return self.index


def cache_for(services) -> IndexCache:
    """The process's cache, kept in the app's services (``handlers.context.Services``)."""
    if services.faq is None:
        with _MAKING:
            if services.faq is None:
                services.faq = IndexCache()
                semantic.preload()
                sentence.preload()
    return services.faq
