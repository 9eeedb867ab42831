"""Ballots: one per (run, household), who may cast one, and every change kept.

The unique constraint on (run_id, household_id) is the last word: two family
members answering at the same moment both try to insert; the loser's insert
fails inside a savepoint and becomes an update of the winner's ballot (when
the household allows changes) or a refusal.  Counters on the run move in the
same transaction with relative UPDATEs, so concurrent ballots never lose one.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import Binding, Household
from models.households import active_binding
from models.surveys import Ballot, BallotHistory, SurveyEligible, SurveyRun
from surveys import answers as answering
from surveys import definition as defs
from surveys import members, owners, runs
from surveys.errors import NotAllowed

Renderer = Callable[..., str]


@dataclass(frozen=True)
class Cast:
    """A ballot in the making: who, how, and the raw answers."""

    channel: str  # wechat | h5 | paper
    raw: dict[str, Any]
    actor: str  # resident:<id> or a staff username
    resident_id: int | None = None
    photo_key: str | None = None


def voter_refusal(binding: Binding | None, household: Household | None) -> str | None:
    """Why this binding may not answer for the household (its policy), or None: the one voter rule."""
    if binding is None or household is None or binding.household_id != household.id:
        return "请先回复“绑定”绑定您家的门牌，再参与调查"
    if binding.verified_at is None:
        return "您的绑定还在等待社区核实，核实后即可参与调查"
    if household.voter_policy == "owner_only" and binding.role != "owner":
        return "本户约定由产权人代表全户投票，请由产权人参与"
    return None


def check_voter(binding: Binding | None, household: Household | None) -> None:
    """The household's policy: any verified member, or the owner only; raises NotAllowed."""
    refusal = voter_refusal(binding, household)
    if refusal:
        raise NotAllowed(refusal)


def voter_household(resident_id: int, *, session: Session) -> Household:
    binding = active_binding(resident_id, session=session)
    household = session.get(Household, binding.household_id) if binding else None
    check_voter(binding, household)
    return household


def run_voter_household(run: SurveyRun, resident_id: int, *, session: Session) -> Household:
    """The household the resident answers for in this run; raises NotAllowed with the reason.

    An owners' decision admits only verified owners of flats in its scope (surveys/owners.py), whatever
    the household's own policy; other runs follow the household's policy."""
    if not run.rule:
        return voter_household(resident_id, session=session)
    binding = active_binding(resident_id, session=session)
    household = session.get(Household, binding.household_id) if binding else None
    if household is None:
        raise NotAllowed("请先回复“绑定”绑定您家的门牌，再参与表决")
    owners.check_voter(run, binding, household.id, session=session)
    return household


def find(run_id: int, household_id: int, *, session: Session) -> Ballot | None:
    return session.exec(select(Ballot).where(Ballot.run_id == run_id, Ballot.household_id == household_id)).first()


def cast_by_resident(run_id: int, resident_id: int, raw: dict, *, channel: str, session: Session,
                     now: datetime, render: Renderer) -> Ballot:
    household = run_voter_household(runs.get(run_id, session=session), resident_id, session=session)
    cast = Cast(channel=channel, raw=raw, actor=f"resident:{resident_id}", resident_id=resident_id)
    return cast_ballot(run_id, household.id, cast, session=session, now=now, render=render)


def cast_ballot(run_id: int, household_id: int, cast: Cast, *, session: Session, now: datetime,
                render: Renderer) -> Ballot:
    """Record (or change) the household's ballot; raises NotAllowed or AnswersInvalid.

    A change (the household's ballot replaced) is told to the household's other bound
    members through the outbox, rendered with ``render`` (templates/wechat/*.txt).
    """
    run = runs.get(run_id, session=session)
    if not runs.is_open(run, now):
        raise NotAllowed("本次调查未开始或已结束")
    entry = session.get(SurveyEligible, (run_id, household_id))
    if entry is None or not entry.eligible:
        raise NotAllowed("您家不在本次调查的范围内（发布时的户册），如有疑问请联系社区")
    d = runs.version_of(run, session=session).definition
    clean = answering.clean_all(d, cast.raw)
    yes = defs.gate_yes(d, clean)
    existing = find(run_id, household_id, session=session)
    if existing is None:
        ballot = Ballot(run_id=run_id, household_id=household_id, building_id=entry.building_id,
                        version_id=run.version_id, channel=cast.channel, answers=clean, gate_yes=yes,
                        resident_id=cast.resident_id, photo_key=cast.photo_key, created_at=now, updated_at=now,
                        entered_by=None if cast.resident_id else cast.actor)
        try:
            with session.begin_nested():
                session.add(ballot)
        except IntegrityError:  # a family member's ballot won the race
            existing = find(run_id, household_id, session=session)
        else:
            _count(run_id, ballots=1, yes=int(yes), session=session)
            _history(ballot, cast.actor, session=session)
            return ballot
    ballot = _change(existing, cast, clean, yes, session=session, now=now)
    members.tell_ballot_replaced(ballot, run, cast.resident_id, session=session, render=render)
    return ballot


def _change(ballot: Ballot, cast: Cast, clean: dict, yes: bool, *, session: Session, now: datetime) -> Ballot:
    household = session.get(Household, ballot.household_id)
    if not household.answers_changeable:
        raise NotAllowed("本户已提交过答卷，按本户约定不能修改")
    _count(ballot.run_id, ballots=0, yes=int(yes) - int(ballot.gate_yes), session=session)
    ballot.answers, ballot.gate_yes, ballot.channel = clean, yes, cast.channel
    ballot.revision, ballot.updated_at = ballot.revision + 1, now
    ballot.resident_id = cast.resident_id or ballot.resident_id
    ballot.photo_key = cast.photo_key or ballot.photo_key
    session.add(ballot)
    session.flush()
    _history(ballot, cast.actor, session=session)
    return ballot


def _count(run_id: int, *, ballots: int, yes: int, session: Session) -> None:
    if ballots or yes:
        session.execute(update(SurveyRun).where(SurveyRun.id == run_id)
                        .values(ballot_count=SurveyRun.ballot_count + ballots,
                                gate_yes_count=SurveyRun.gate_yes_count + yes)
                        .execution_options(synchronize_session=False))
        session.expire(session.get(SurveyRun, run_id), ["ballot_count", "gate_yes_count"])


def _history(ballot: Ballot, actor: str, *, session: Session) -> None:
    session.add(BallotHistory(ballot_id=ballot.id, run_id=ballot.run_id, household_id=ballot.household_id,
                              revision=ballot.revision, channel=ballot.channel, answers=ballot.answers,
                              actor=actor, at=ballot.updated_at))
    session.flush()


def history(ballot_id: int, *, session: Session) -> list[BallotHistory]:
    return session.exec(select(BallotHistory).where(BallotHistory.ballot_id == ballot_id)
                        .order_by(BallotHistory.revision)).all()
