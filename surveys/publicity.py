"""Publicity (公示): a closed run's result published once, its objection window, the final notice.

The clock calls ``publish_due`` and ``finish_due`` (bot/jobs/publicity.py).  A run
is published once: ``publicity.run_id`` is unique and only runs without a row are
picked.  Every bound, verified resident of a household in the run's frozen roster
(its scope) is told once per stage through the outbox (dedup keys
``publicity:<run>:<resident>`` and ``publicity.final:<run>:<resident>``).  The
figures are the ones a street office files, computed by ``surveys.stats`` and
kept as published; an owners' decision publishes its rule's figures to the owners in
scope only.  Runs whose results are never shown to residents are not published.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import func
from sqlmodel import Session, or_, select

from models import Binding, Resident
from models.localtime import show
from models.outbox import enqueue_text
from models.publicity import Objection, Publicity
from models.surveys import SurveyEligible, SurveyRun
from surveys import stats
from surveys.publicity_links import page_url

KIND = "publicity"
# What a street office files: the headline figures (and the run's words), and the per-building rows.
SUMMARY_KEYS = ("run_id", "title", "phase", "community", "eligible_households", "excluded_households", "ballots",
                "participation_rate", "gate_yes", "gate_rate", "gate_rate_eligible", "gate_rate_respondents",
                "gate_basis", "threshold", "required_yes", "passed", "gate_title", "gate_labels", "closes_at")
# An owners' decision publishes the figures of its rule instead of household counts (surveys/stats/owners.py).
OWNER_KEYS = ("rule", "rule_label", "scope", "scope_words", "nonvoters_join_majority", "owners_total", "area_total",
              "owners_voted", "area_voted", "owners_yes", "area_yes", "owners_participation_rate",
              "area_participation_rate", "owners_agreement_rate", "area_agreement_rate", "participation_threshold",
              "agreement_threshold", "participation_passed", "agreement_passed", "passed")
Render = Callable[..., str]


def published_figures(run_id: int, *, session: Session) -> dict:
    """The figures as published: ``summary`` and ``buildings`` from the run's statistics.

    For an owners' decision the summary also holds its rule's figures (by head and by area, as computed by
    ``surveys.stats.owners``, ``passed`` under the rule) and no per-building household rows."""
    report = stats.full_report(run_id, session=session, with_themes=False)
    summary = report["summary"]
    published = {k: summary.get(k) for k in SUMMARY_KEYS}
    if not summary.get("rule"):
        return {"summary": published, "buildings": report["buildings"]}
    return {"summary": {**published, **{k: summary.get(k) for k in OWNER_KEYS}}, "buildings": []}


def due_runs(*, session: Session, now: datetime, days: int) -> list[SurveyRun]:
    """Closed runs not published yet (and whose results residents may see).

    Only runs closed within the last objection window: runs closed long before
    publicity existed (a first deployment on an old database) are not announced
    to everyone at once, their objection time having passed.
    """
    published = select(Publicity.run_id)
    recent = or_(SurveyRun.closes_at.is_(None), SurveyRun.closes_at >= now - timedelta(days=days))
    return session.exec(select(SurveyRun).where(SurveyRun.status == "closed", SurveyRun.results_visible != "never",
                                                recent, SurveyRun.id.not_in(published)).order_by(SurveyRun.id)).all()


def publish(run: SurveyRun, *, session: Session, now: datetime, days: int, render: Render,
            app_settings: dict) -> Publicity:
    """Publish one closed run now, with ``days`` of objection window, and tell its residents."""
    p = Publicity(run_id=run.id, community_id=run.community_id, published_at=now,
                  objection_ends_at=now + timedelta(days=days), figures=published_figures(run.id, session=session))
    session.add(p)
    session.flush()
    p.notified = notify(p, "wechat/publicity_published.txt", f"publicity:{run.id}", session=session,
                        render=render, app_settings=app_settings, now=now)
    session.add(p)
    session.flush()
    return p


def publish_due(*, session: Session, now: datetime, days: int, render: Render, app_settings: dict) -> int:
    """Publish every closed run not yet published; returns how many."""
    runs = due_runs(session=session, now=now, days=days)
    for run in runs:
        publish(run, session=session, now=now, days=days, render=render, app_settings=app_settings)
    return len(runs)


def finish_due(*, session: Session, now: datetime, render: Render, app_settings: dict) -> int:
    """Close the windows that have ended: the final notice, once per publicity; returns how many."""
    due = session.exec(select(Publicity).where(Publicity.ended_at.is_(None), Publicity.objection_ends_at <= now)
                       .order_by(Publicity.id)).all()
    for p in due:
        p.ended_at = now
        p.final_notified = notify(p, "wechat/publicity_final.txt", f"publicity.final:{p.run_id}", session=session,
                                  render=render, app_settings=app_settings, now=now, counts=objection_counts(p.id,
                                  session=session))
        session.add(p)
    session.flush()
    return len(due)


def recipients(run_id: int, *, session: Session) -> list[Resident]:
    """Every active resident with a verified binding to a household of the run's roster (its scope);
    for an owners' decision only the owners (not tenants nor family)."""
    query = (select(Resident).join(Binding, Binding.resident_id == Resident.id)
             .join(SurveyEligible, (SurveyEligible.household_id == Binding.household_id)
                   & (SurveyEligible.run_id == run_id))
             .where(Binding.ended_at.is_(None), Binding.verified_at.is_not(None), Resident.active))
    run = session.get(SurveyRun, run_id)
    if run is not None and run.rule:
        query = query.where(Binding.role == "owner")
    return session.exec(query.distinct().order_by(Resident.id)).all()


def notify(p: Publicity, template: str, key: str, *, session: Session, render: Render, app_settings: dict,
           now: datetime, **values) -> int:
    """Queue ``template`` to each resident in scope once (``key:<resident id>``); returns how many were queued."""
    summary = p.figures["summary"]
    ends = show(p.objection_ends_at)
    queued = 0
    for resident in recipients(p.run_id, session=session):
        link = page_url(app_settings, resident_id=resident.id, publicity=p, now=now)
        text = render(template, s=summary, ends=ends, link=link, **values).strip()
        enqueue_text(openid=resident.openid, text=text, kind=KIND, dedup_key=f"{key}:{resident.id}",
                           template={"kind": KIND, "url": link,
                               "data": {"title": summary["title"], "ends": ends, "content": text}}, session=session)
        queued += 1
    return queued


def objection_counts(publicity_id: int, *, session: Session) -> dict[str, int]:
    """{"objections": n, "answered": n} (one query)."""
    total, answered = session.exec(select(func.count(Objection.id), func.count(Objection.answered_at))
                                   .where(Objection.publicity_id == publicity_id)).one()
    return {"objections": total, "answered": answered}


def is_open(p: Publicity, now: datetime) -> bool:
    return p.ended_at is None and now < p.objection_ends_at


def of_run(run_id: int, *, session: Session) -> Publicity | None:
    return session.exec(select(Publicity).where(Publicity.run_id == run_id)).first()


def for_community(community_id: int, *, session: Session, limit: int = 3) -> list[Publicity]:
    """The community's latest publications, newest first."""
    return session.exec(select(Publicity).where(Publicity.community_id == community_id)
                        .order_by(Publicity.published_at.desc(), Publicity.id.desc()).limit(limit)).all()
