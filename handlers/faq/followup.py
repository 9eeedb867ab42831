"""Keeping the promise of "已经记下来转给社区工作人员".

A question the FAQ could not answer is one open row per community and
normalised text, with its askers.  When staff answer it (a written answer in
the unanswered queue, an entry made from it or given it as a phrasing, or an
entry edited so that the matcher now answers it), every asker is sent the
answer through the outbox, once: a customer-service message inside the
48-hour window, else the ``faq_followup`` template (docs/OUTBOX.md).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime
from typing import Any, Callable, Iterable

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from handlers.faq.decide import understand
from handlers.faq.index import Index
from models import FaqEntry, UnansweredAsker, UnansweredQuestion
from models.outbox import enqueue

Renderer = Callable[..., str]
Decide = Callable[[str], tuple[str, int | None]]  # text -> (decision kind, best entry id)

KIND = "faq_followup"
QUOTE_CHARS = 40
RECHECKED = 500  # open questions asked again of the matcher after an edit (~2 ms each)
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
_TAIL = "吗呢啊呀吧嘛哈啦哦喔么"


def normalized(text: str) -> str:
    """What makes two questions "the same": width, case, blanks, punctuation and final
    particles do not count (装电梯有补贴吗？ = 装 电梯有补贴吗 = 装电梯有补贴)."""
    plain = _NOISE.sub("", unicodedata.normalize("NFKC", text or "").casefold())
    return plain.rstrip(_TAIL) or plain


def open_key(community_id: int | None, text: str) -> str:
    """The key that is unique among open questions (community and normalised text)."""
    raw = f"{community_id or 0}|{normalized(text)}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def log_asked(text: str, *, openid: str, community_id: int | None, candidates: list[dict], now: datetime,
              session: Session) -> UnansweredQuestion:
    """The open question for this text in this community (created when new), with the asker
    counted once; flushes."""
    key = open_key(community_id, text)
    row = _open_row(key, session=session)
    if row is None:
        try:
            with session.begin_nested():  # a neighbour asking at the same moment wins the insert
                row = UnansweredQuestion(text=text[:500], openid=openid, community_id=community_id,
                                         asked_at=now, candidates=candidates, open_key=key)
                session.add(row)
        except IntegrityError:
            row = _open_row(key, session=session)
    else:
        row.candidates = candidates
        session.add(row)
    _count_asker(row, openid, now, session=session)
    return row


def _open_row(key: str, *, session: Session) -> UnansweredQuestion | None:
    return session.exec(select(UnansweredQuestion).where(UnansweredQuestion.open_key == key)).first()


def _count_asker(row: UnansweredQuestion, openid: str, now: datetime, *, session: Session) -> None:
    asker = session.exec(select(UnansweredAsker).where(UnansweredAsker.question_id == row.id,
                                                       UnansweredAsker.openid == openid)).first()
    if asker is None:
        asker = UnansweredAsker(question_id=row.id, openid=openid, asked_at=now)
    else:
        asker.times, asker.asked_at = asker.times + 1, now
    session.add(asker)
    session.flush()


def askers(question_id: int, *, session: Session) -> list[UnansweredAsker]:
    return list(session.exec(select(UnansweredAsker).where(UnansweredAsker.question_id == question_id)
                             .order_by(UnansweredAsker.id)).all())


def asker_counts(question_ids: Iterable[int], *, session: Session) -> dict[int, int]:
    """Question id → how many residents asked it."""
    ids = list(question_ids)
    if not ids:
        return {}
    rows = session.exec(select(UnansweredAsker.question_id).where(UnansweredAsker.question_id.in_(ids))).all()
    counts: dict[int, int] = {}
    for qid in rows:
        counts[qid] = counts.get(qid, 0) + 1
    return counts


def forward_answer(row: UnansweredQuestion, answer: str, *, render: Renderer, now: datetime, session: Session,
                   by_worker: bool) -> int:
    """Queue ``answer`` to every asker of ``row`` not yet answered; returns how many."""
    quoted = _quote(row.text)
    sent = 0
    for asker in askers(row.id, session=session):
        if asker.answered_at is not None:
            continue
        text = render("wechat/faq_followup.txt", asked=quoted, answer=answer.strip(), by_worker=by_worker).strip()
        payload = {"text": text, "template": {"kind": KIND, "data": _template_data(quoted, answer)}}
        enqueue(openid=asker.openid, payload=payload, kind=KIND, dedup_key=f"{KIND}:{row.id}:{asker.openid}",
                not_before=now, session=session)
        asker.answered_at = now
        session.add(asker)
        sent += 1
    session.flush()
    return sent


def _quote(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS] + "…"


def _template_data(quoted: str, answer: str) -> dict[str, Any]:
    # A template field holds ~200 characters; the whole answer is in the customer-service text.
    short = answer.strip()
    return {"first": f"您问过：{quoted}", "keyword1": quoted,
            "keyword2": short[:180] + ("…" if len(short) > 180 else ""), "content": f"您问过：{quoted}\n{short}"}


def decider(index: Index) -> Decide:
    """What the chat would now do with a text: (answer | choices | none | smalltalk, best entry)."""
    def decide(text: str) -> tuple[str, int | None]:
        decision = understand(index, text)
        return decision.kind, (decision.best.entry_id if decision.best else None)
    return decide


def entry_answer(entry_id: int, *, session: Session) -> str:
    entry = session.get(FaqEntry, entry_id)
    return entry.answer if entry is not None else ""


def answer_matched(decide: Decide, entry_ids: set[int], *, actor: str, render: Renderer, now: datetime,
                   session: Session, limit: int = RECHECKED) -> list[UnansweredQuestion]:
    """Open questions (the newest ``limit``) that one of the entries just written
    (``entry_ids``) now answers directly: closed as ``matched``, their askers sent the
    entry's answer."""
    if not entry_ids:
        return []
    rows = session.exec(select(UnansweredQuestion).where(UnansweredQuestion.status == "open")
                        .order_by(UnansweredQuestion.id.desc()).limit(limit)).all()
    closed = []
    for row in rows:
        kind, best = decide(row.text)
        if kind != "answer" or best not in entry_ids:
            continue
        close(row, "matched", best, actor, now, session=session)
        forward_answer(row, entry_answer(best, session=session), render=render, now=now, session=session,
                       by_worker=False)
        closed.append(row)
    return closed


def close(row: UnansweredQuestion, status: str, entry_id: int | None, actor: str, now: datetime, *,
          session: Session) -> UnansweredQuestion:
    """Resolve ``row``: a new question with the same words opens a new row from now on."""
    row.status, row.entry_id, row.resolved_by, row.resolved_at = status, entry_id, actor, now
    row.open_key = None
    session.add(row)
    session.flush()
    return row
