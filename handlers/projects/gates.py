"""Stages that a survey decides follow that survey run: linked when published, closed by its gate.

A stage names a survey phase (意愿征询 = willingness, 方案设计与征求意见 = plan_opinion,
方案公示/表决 = plan_vote, 竣工验收与满意度 = satisfaction).  The community's latest run of
that phase is linked to the stage; while it runs the stage is 进行中 (earlier open stages are
finished: the project moved on); once it closes, a passed gate finishes the stage and starts
the next one, a failed gate keeps the stage open with a note ("未达到80%").  ``sync`` only
writes differences, so the clock job and every read may call it as often as they like.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from models.localtime import today
from models.projects import Project, ProjectStage, stages_of
from models.surveys import SurveyRun
from surveys import stats


def sync_all(*, session: Session, now: datetime) -> int:
    """Every project whose community has a survey run; the number of changes (link, start, close) made."""
    communities = set(session.exec(select(SurveyRun.community_id).distinct()).all())
    projects = session.exec(select(Project).where(Project.community_id.in_(communities))).all() if communities else []
    return sum(sync(p, session=session, now=now) for p in projects)


def sync(project: Project, *, session: Session, now: datetime) -> int:
    """Bring the project's survey-decided stages in line with their runs (flush only); the changes made."""
    stages, day, changed = stages_of(project.id, session=session), today(now), 0
    for index, stage in enumerate(stages):
        run = _latest_run(project.community_id, stage.phase, session=session) if stage.phase else None
        if run is None or (stage.status == "done" and stage.run_id == run.id):
            continue
        changed += _set(stage, run_id=run.id)
        if run.status == "scheduled" or stage.status == "done":
            continue
        changed += _start(stages, index, day)
        if run.status == "closed":
            changed += _close(stages, index, run, day, session=session)
    if changed:
        session.flush()
    return changed


def _latest_run(community_id: int, phase: str, *, session: Session) -> SurveyRun | None:
    return session.exec(select(SurveyRun).where(SurveyRun.community_id == community_id, SurveyRun.phase == phase)
                        .order_by(SurveyRun.id.desc())).first()


def _set(stage: ProjectStage, **values) -> int:
    """Assign what differs; 1 when anything changed."""
    diff = {k: v for k, v in values.items() if getattr(stage, k) != v}
    for key, value in diff.items():
        setattr(stage, key, value)
    return 1 if diff else 0


def _start(stages: list[ProjectStage], index: int, day: date) -> int:
    """The stage runs; the earlier stages still open are finished."""
    changed = 0
    for earlier in stages[:index]:
        if earlier.status != "done":
            changed += _set(earlier, status="done", actual_start=earlier.actual_start or day, actual_end=day)
    stage = stages[index]
    if stage.status == "pending":
        changed += _set(stage, status="active", actual_start=stage.actual_start or day, note="")
    return changed


def _close(stages: list[ProjectStage], index: int, run: SurveyRun, day: date, *, session: Session) -> int:
    figures = stats.summary(run.id, session=session)
    stage = stages[index]
    if not figures["passed"]:
        return _set(stage, status="active", note=f"调查未达到{round(run.threshold * 100)}%，本阶段继续")
    changed = _set(stage, status="done", actual_end=day, note="调查已通过")
    following = stages[index + 1] if index + 1 < len(stages) else None
    if following is not None and following.status == "pending":
        changed += _set(following, status="active", actual_start=following.actual_start or day)
    return changed
