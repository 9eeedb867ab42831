"""Writing the FAQ: entries, alternatives, articles, the unanswered queue.

Service functions take ``*, session`` and only flush; the caller commits.
Every change to what the matcher sees bumps the FAQ version, which is how the
other web workers learn to rebuild their index.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, update
from sqlmodel import Session, select

from handlers.faq import followup
from handlers.faq.followup import Renderer
from models import FaqEntry, PolicyArticle, UnansweredQuestion
from models.base import utcnow
from models.faq import FaqHit, bump_version
from models.privacy import mask_contacts

ENTRY_FIELDS = ("question", "alternatives", "answer", "category", "tags", "source", "article_id", "active")
ARTICLE_FIELDS = ("title", "summary", "cover_url", "body", "link", "active", "sort_key")


class FaqError(ValueError):
    """The data cannot be saved; the message says why (in Chinese, for the console)."""


def split_alternatives(raw: str | list[str] | None) -> list[str]:
    """Alternatives from "a|b", one per line, or a list; trimmed, no blanks or repeats."""
    if raw is None:
        return []
    parts = raw if isinstance(raw, list) else str(raw).replace("\r", "\n").replace("|", "\n").split("\n")
    return list(dict.fromkeys(p.strip() for p in parts if p and p.strip()))


def check_entry(values: dict[str, Any]) -> list[str]:
    """Problems with an entry's values, in Chinese; empty when it can be saved."""
    problems = []
    if not (values.get("question") or "").strip():
        problems.append("问题不能为空")
    elif len(values["question"].strip()) > 200:
        problems.append("问题不能超过200字")
    if not (values.get("answer") or "").strip():
        problems.append("答案不能为空")
    if len(values.get("category") or "") > 32:
        problems.append("分类不能超过32字")
    return problems


def save_entry(values: dict[str, Any], *, actor: str, session: Session, entry_id: int | None = None,
               now: datetime | None = None) -> FaqEntry:
    """Create (no ``entry_id``) or update an entry from a dict of fields."""
    entry = session.get(FaqEntry, entry_id) if entry_id else FaqEntry(question="", answer="")
    if entry is None:
        raise FaqError(f"没有编号为 {entry_id} 的问答")
    problems = check_entry({"question": entry.question, "answer": entry.answer, **values})
    if problems:
        raise FaqError("；".join(problems))
    for name in ENTRY_FIELDS:
        if name in values:
            setattr(entry, name, _clean(name, values[name]))
    entry.updated_by, entry.updated_at = actor, now or utcnow()
    session.add(entry)
    session.flush()
    bump_version(session=session)
    return entry


def _clean(name: str, value: Any) -> Any:
    if name in ("alternatives", "tags"):
        return split_alternatives(value)
    if name in ("question", "answer", "category", "source"):
        return (value or "").strip()
    return value


def add_alternative(entry_id: int, text: str, *, actor: str, session: Session) -> FaqEntry:
    """Add a phrasing to an entry (no-op when it is already there)."""
    entry = session.get(FaqEntry, entry_id)
    if entry is None:
        raise FaqError(f"没有编号为 {entry_id} 的问答")
    text = text.strip()
    if text and text != entry.question and text not in entry.alternatives:
        return save_entry({"alternatives": [*entry.alternatives, text]}, actor=actor, session=session,
                          entry_id=entry_id)
    return entry


def set_active(entry_id: int, active: bool, *, actor: str, session: Session) -> FaqEntry:
    """Hide (or show again) an entry; entries are never deleted (unanswered rows point to them)."""
    return save_entry({"active": active}, actor=actor, session=session, entry_id=entry_id)


def count_hit(entry_id: int, *, now: datetime, session: Session) -> None:
    """One more answer given (popularity; not a content change, so no version bump).

    One Core INSERT: it runs on every answered question, in the gateway's hot path.
    """
    session.connection().execute(_HIT_INSERT, {"entry_id": entry_id, "at": now})


_HIT_INSERT = insert(FaqHit.__table__)


def roll_up_hits(*, session: Session) -> int:
    """Add the logged answers to each entry's ``hits`` and drop them from the log; flushes."""
    last = session.exec(select(func.max(FaqHit.id))).one()
    if last is None:
        return 0
    counts = session.exec(select(FaqHit.entry_id, func.count()).where(FaqHit.id <= last)
                          .group_by(FaqHit.entry_id)).all()
    for entry_id, count in counts:
        session.exec(update(FaqEntry).where(FaqEntry.id == entry_id).values(hits=FaqEntry.hits + count))
    session.exec(delete(FaqHit).where(FaqHit.id <= last))
    session.flush()
    return sum(count for _, count in counts)


def log_unanswered(text: str, *, openid: str, community_id: int | None, candidates: list[dict],
                   now: datetime, session: Session) -> UnansweredQuestion:
    """Queue a question for staff: the same open question of the same community (normalised
    text) is one row with its askers (``followup.log_asked``)."""
    return followup.log_asked(text, openid=openid, community_id=community_id, candidates=candidates, now=now,
                              session=session)


def resolve_as_alternative(question_id: int, entry_id: int, *, actor: str, session: Session,
                           text: str | None = None, render: Renderer | None = None,
                           now: datetime | None = None) -> UnansweredQuestion:
    """The question becomes another phrasing of an existing entry (personal data masked out
    of it); with ``render``, its askers are sent the entry's answer."""
    row = _open_question(question_id, session=session)
    add_alternative(entry_id, text or mask_contacts(row.text), actor=actor, session=session)
    return _close(row, "alternative", entry_id, actor, render, now, session=session)


def resolve_as_new_entry(question_id: int, values: dict[str, Any], *, actor: str, session: Session,
                         render: Renderer | None = None, now: datetime | None = None) -> UnansweredQuestion:
    """The question becomes a new entry (its text is the question unless given); with
    ``render``, its askers are sent the new answer."""
    row = _open_question(question_id, session=session)
    entry = save_entry({"question": mask_contacts(row.text), **values}, actor=actor, session=session)
    return _close(row, "new_entry", entry.id, actor, render, now, session=session)


def resolve_with_answer(question_id: int, answer: str, *, actor: str, session: Session, render: Renderer,
                        now: datetime | None = None) -> UnansweredQuestion:
    """A worker answers in their own words (not a FAQ entry); the askers are sent it."""
    answer = (answer or "").strip()
    if not answer:
        raise FaqError("答复不能为空")
    if len(answer) > 1000:
        raise FaqError("答复不能超过1000字")
    row = _open_question(question_id, session=session)
    row.answer = answer
    followup.close(row, "answered", None, actor, now or utcnow(), session=session)
    followup.forward_answer(row, answer, render=render, now=row.resolved_at, session=session, by_worker=True)
    return row


def mark_outside(question_id: int, *, actor: str, session: Session) -> UnansweredQuestion:
    """Not a question for the FAQ (房产证加名字): the matcher counts it among the questions
    known to be outside, and says "no match" more readily to ones like it."""
    row = _close(_open_question(question_id, session=session), "outside", None, actor, session=session)
    bump_version(session=session)
    return row


def dismiss(question_id: int, *, actor: str, session: Session) -> UnansweredQuestion:
    return _close(_open_question(question_id, session=session), "dismissed", None, actor, session=session)


def _open_question(question_id: int, *, session: Session) -> UnansweredQuestion:
    row = session.get(UnansweredQuestion, question_id)
    if row is None:
        raise FaqError(f"没有编号为 {question_id} 的未答问题")
    if row.status != "open":
        raise FaqError("这个问题已经处理过了")
    return row


def _close(row: UnansweredQuestion, status: str, entry_id: int | None, actor: str,
           render: Renderer | None = None, now: datetime | None = None, *, session: Session) -> UnansweredQuestion:
    followup.close(row, status, entry_id, actor, now or utcnow(), session=session)
    if render is not None and entry_id is not None:
        followup.forward_answer(row, followup.entry_answer(entry_id, session=session), render=render,
                                now=row.resolved_at, session=session, by_worker=False)
    return row


def save_article(values: dict[str, Any], *, actor: str, session: Session,
                 article_id: int | None = None) -> PolicyArticle:
    if not (values.get("title") or "").strip():
        raise FaqError("标题不能为空")
    if not (values.get("body") or "").strip() and not (values.get("link") or "").strip():
        raise FaqError("正文和链接至少填一项")
    article = session.get(PolicyArticle, article_id) if article_id else PolicyArticle(title="")
    if article is None:
        raise FaqError(f"没有编号为 {article_id} 的文章")
    for name in ARTICLE_FIELDS:
        if name in values:
            setattr(article, name, values[name].strip() if isinstance(values[name], str) else values[name])
    article.updated_by, article.updated_at = actor, utcnow()
    session.add(article)
    session.flush()
    return article
