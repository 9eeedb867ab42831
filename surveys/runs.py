"""Runs: one community answering one version; the roster frozen at publish."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from models import AuditLog, Community, Household
from models.surveys import SurveyEligible, SurveyRun, SurveyVersion
from surveys import owners, templates
from surveys.errors import StructuralEditRefused, SurveyError


def publish(template_id: int, community_id: int, *, session: Session, now: datetime,
            opens_at: datetime | None = None, closes_at: datetime | None = None,
            actor: str = "system", rule: str | None = None, scope: str = "",
            nonvoters_join_majority: bool = False) -> SurveyRun:
    """Start a run of the template's latest version (frozen now) for one community.

    With ``rule`` it is an owners' decision over ``scope`` (surveys/owners.py); without, the household gate."""
    if session.get(Community, community_id) is None:
        raise SurveyError(f"小区 {community_id} 不存在")
    owners.check_rule(rule, scope)
    opens_at = opens_at or now
    if closes_at is not None and closes_at <= opens_at:
        raise SurveyError("截止时间须晚于开始时间")
    version = templates.publish_version(template_id, session=session, actor=actor)
    d, s = version.definition, version.definition["settings"]
    if rule and not (d.get("gate") or {}).get("question"):
        raise SurveyError("业主共同决定需要模板设定表决题（“门槛题”及其同意选项）")
    run = SurveyRun(version_id=version.id, template_id=template_id, community_id=community_id, phase=d["phase"],
                    title=d["title"], opens_at=opens_at, closes_at=closes_at,
                    status="open" if opens_at <= now else "scheduled", threshold=s["threshold"],
                    gate_basis=s["gate_basis"], results_visible=s["results_visible"],
                    excluded_statuses=[] if rule else list(s["exclude_statuses"]), created_at=now, created_by=actor,
                    rule=rule, scope=owners.canonical_scope(scope) if rule else "",
                    nonvoters_join_majority=bool(rule and nonvoters_join_majority))
    session.add(run)
    session.flush()
    if rule:
        owners.freeze(run, session=session)
    else:
        freeze_roster(run, session=session)
    session.add(AuditLog(actor=actor, action="survey.run.publish", target=f"survey_run:{run.id}",
                         community_id=community_id,
                         after={"version_id": version.id, "eligible": run.eligible_count,
                                "excluded": run.excluded_count, "excluded_statuses": run.excluded_statuses,
                                "rule": run.rule, "scope": run.scope}))
    session.flush()
    return run


def freeze_roster(run: SurveyRun, *, session: Session) -> None:
    """Copy every household of the community, marking excluded statuses not eligible."""
    households = session.exec(select(Household.id, Household.building_id, Household.status)
                              .where(Household.community_id == run.community_id)).all()
    excluded = set(run.excluded_statuses)
    for household_id, building_id, status in households:
        session.add(SurveyEligible(run_id=run.id, household_id=household_id, building_id=building_id,
                                   status=status, eligible=status not in excluded))
    run.excluded_count = sum(1 for h in households if h[2] in excluded)
    run.eligible_count = len(households) - run.excluded_count
    session.add(run)
    session.flush()


def version_of(run: SurveyRun, *, session: Session) -> SurveyVersion:
    return session.get(SurveyVersion, run.version_id)


def get(run_id: int, *, session: Session) -> SurveyRun:
    run = session.get(SurveyRun, run_id)
    if run is None:
        raise SurveyError(f"调查 {run_id} 不存在")
    return run


def is_open(run: SurveyRun, now: datetime) -> bool:
    return run.opens_at <= now and (run.closes_at is None or now < run.closes_at) and run.status != "closed"


def open_runs(community_id: int, *, session: Session, now: datetime) -> list[SurveyRun]:
    runs = session.exec(select(SurveyRun).where(SurveyRun.community_id == community_id,
                                                SurveyRun.status != "closed").order_by(SurveyRun.id)).all()
    return [r for r in runs if is_open(r, now)]


def results_visible(run: SurveyRun, now: datetime) -> bool:
    """Whether residents may see the figures (staff always may)."""
    if run.results_visible == "always":
        return True
    finished = run.status == "closed" or (run.closes_at is not None and run.closes_at <= now)
    return run.results_visible == "after_close" and finished


def recent_runs(community_id: int, *, session: Session, limit: int = 5) -> list[SurveyRun]:
    return session.exec(select(SurveyRun).where(SurveyRun.community_id == community_id)
                        .order_by(SurveyRun.opens_at.desc(), SurveyRun.id.desc()).limit(limit)).all()


def advance(*, session: Session, now: datetime) -> dict[str, int]:
    """Open scheduled runs that are due and close open ones that are past; idempotent."""
    opened = closed = 0
    for run in session.exec(select(SurveyRun).where(SurveyRun.status != "closed")):
        if run.closes_at is not None and run.closes_at <= now:
            run.status, closed = "closed", closed + 1
        elif run.status == "scheduled" and run.opens_at <= now:
            run.status, opened = "open", opened + 1
        else:
            continue
        session.add(run)
    session.flush()
    return {"opened": opened, "closed": closed}


def close(run_id: int, *, session: Session, now: datetime, actor: str) -> SurveyRun:
    run = get(run_id, session=session)
    run.status, run.closes_at = "closed", min(run.closes_at or now, now)
    session.add(run)
    session.add(AuditLog(actor=actor, action="survey.run.close", target=f"survey_run:{run_id}",
                         community_id=run.community_id))
    session.flush()
    return run


def change_settings(run_id: int, *, session: Session, actor: str, **changes) -> SurveyRun:
    """Threshold, basis and visibility; threshold and basis are frozen once a ballot exists."""
    run = get(run_id, session=session)
    if run.ballot_count and ({"threshold", "gate_basis"} & set(changes)):
        raise StructuralEditRefused("已有答卷，不能再改门槛或计算口径")
    before = {k: getattr(run, k) for k in changes}
    for key, value in changes.items():
        setattr(run, key, value)
    session.add(run)
    session.add(AuditLog(actor=actor, action="survey.run.settings", target=f"survey_run:{run_id}",
                         community_id=run.community_id, before=before, after=changes))
    session.flush()
    return run
