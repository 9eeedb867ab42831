"""Policy FAQ: entries, policy articles, questions nobody could answer, a version counter.

Every web worker keeps its own matching index in memory; ``FaqVersion`` is the
one row they poll (at most every ~2 s) to learn that an admin changed the
content, so an edit is live everywhere within seconds without a restart.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, Session, SQLModel

from models.base import json_column, utcnow


class PolicyArticle(SQLModel, table=True):
    """A policy article, sent to residents as a WeChat news (图文) reply."""

    __tablename__ = "policy_article"

    id: Optional[int] = Field(default=None, primary_key=True)
    title: str = Field(max_length=64)
    summary: str = Field(default="", max_length=200)
    cover_url: str = Field(default="", max_length=500)
    body: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    link: str = Field(default="", max_length=500)  # an outside page; else the body is shown by us
    active: bool = True
    sort_key: int = 0
    updated_by: str = Field(default="system", max_length=64)
    updated_at: datetime = Field(default_factory=utcnow)


class FaqEntry(SQLModel, table=True):
    """One question and its answer, with the other ways residents ask it."""

    __tablename__ = "faq_entry"

    id: Optional[int] = Field(default=None, primary_key=True)
    question: str = Field(max_length=200)
    alternatives: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    answer: str = Field(sa_column=Column(Text, nullable=False))
    category: str = Field(default="", max_length=32, index=True)
    tags: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    source: str = Field(default="", max_length=200)  # the policy document the answer rests on
    article_id: Optional[int] = Field(default=None, foreign_key="policy_article.id")
    active: bool = Field(default=True, index=True)
    hits: int = 0  # answers given (rolled up from faq_hit), for the "popular questions" menu
    updated_by: str = Field(default="system", max_length=64)
    updated_at: datetime = Field(default_factory=utcnow)


class FaqHit(SQLModel, table=True):
    """One answer given from an entry: an insert-only log.

    Counting on the entry row itself would make every worker wait for the same
    row lock on popular questions; the clock rolls these up into ``FaqEntry.hits``.
    """

    __tablename__ = "faq_hit"

    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="faq_entry.id", index=True)
    at: datetime = Field(default_factory=utcnow)


class UnansweredQuestion(SQLModel, table=True):
    """A resident's question with no good match, queued for an admin.

    ``candidates`` keeps the best guesses as [{"entry_id", "question", "score"}];
    the resolution is a new entry, an alternative phrasing of an entry, a worker's
    written answer (``answered``), an entry edited since that now answers it
    (``matched``), outside the FAQ (the matcher learns to say "no match" to
    questions like it), or dismissed.  While open, ``open_key`` (community and
    normalised text) is unique: the same question asked again is one row with
    its askers (:class:`UnansweredAsker`); closing clears it.
    """

    __tablename__ = "unanswered_question"

    id: Optional[int] = Field(default=None, primary_key=True)
    text: str = Field(max_length=500)
    openid: str = Field(default="", max_length=64)
    community_id: Optional[int] = Field(default=None, foreign_key="community.id")
    asked_at: datetime = Field(default_factory=utcnow, index=True)
    candidates: list[dict[str, Any]] = Field(default_factory=list, sa_column=json_column(nullable=False))
    # open | new_entry | alternative | answered | matched | outside | dismissed
    status: str = Field(default="open", max_length=16, index=True)
    entry_id: Optional[int] = Field(default=None, foreign_key="faq_entry.id")
    resolved_by: Optional[str] = Field(default=None, max_length=64)
    resolved_at: Optional[datetime] = None
    open_key: Optional[str] = Field(default=None, max_length=64, unique=True)
    answer: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # a worker's own answer


class UnansweredAsker(SQLModel, table=True):
    """A resident who asked an unanswered question (once per question), and whether the
    answer was forwarded to them."""

    __tablename__ = "unanswered_asker"
    __table_args__ = (UniqueConstraint("question_id", "openid", name="uq_unanswered_asker"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="unanswered_question.id", index=True)
    openid: str = Field(max_length=64)
    asked_at: datetime = Field(default_factory=utcnow)
    times: int = 1
    answered_at: Optional[datetime] = None  # when the answer was queued for them


class FaqVersion(SQLModel, table=True):
    """A single row (id 1) whose ``version`` grows with every FAQ change."""

    __tablename__ = "faq_version"

    id: int = Field(default=1, primary_key=True)
    version: int = 0
    changed_at: datetime = Field(default_factory=utcnow)


def bump_version(*, session: Session) -> int:
    """Mark the FAQ as changed (in the caller's transaction); returns the new version."""
    row = session.get(FaqVersion, 1)
    if row is None:
        row = FaqVersion(id=1, version=0)
    row.version += 1
    row.changed_at = utcnow()
    session.add(row)
    session.flush()
    return row.version
