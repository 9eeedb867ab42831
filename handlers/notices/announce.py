"""A survey run that opens is announced once to the residents in its scope, by its own notice.

The notice's ``source`` is ``survey_run:<id>`` (unique), so however often the clock
looks, a run gets one announcement.  Its scope is the run's frozen roster: the whole
community, or the one building (or stairwell) the run was limited to.
"""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from handlers.notices import service
from handlers.notices.service import Renderer
from models import Building, Community, Household, Notice, SurveyEligible, SurveyRun
from models.localtime import SHORT, show
from surveys import runs


def source_of(run_id: int) -> str:
    return f"survey_run:{run_id}"


def run_scope(run: SurveyRun, *, session: Session) -> str:
    """``""`` (community), ``3号楼`` or ``3号楼/2单元``: what the run's frozen roster covers."""
    frozen = set(session.exec(select(Household.building_id, Household.unit)
                              .join(SurveyEligible, SurveyEligible.household_id == Household.id)
                              .where(SurveyEligible.run_id == run.id)).all())
    everyone = set(session.exec(select(Household.building_id, Household.unit)
                                .where(Household.community_id == run.community_id)).all())
    buildings = {building for building, _ in frozen}
    if not frozen or frozen == everyone or len(buildings) != 1:
        return ""
    building = session.get(Building, buildings.pop())
    whole_building = {pair for pair in everyone if pair[0] == building.id}
    if frozen == whole_building or len(frozen) != 1:
        return building.name
    return f"{building.name}/{next(iter(frozen))[1]}"


def announce_open_runs(*, session: Session, now: datetime, render: Renderer) -> int:
    """Write and fan out the announcement of every open run that has none; returns how many."""
    announced = set(session.exec(select(Notice.source).where(Notice.source.like("survey_run:%"))).all())
    done = 0
    for run in session.exec(select(SurveyRun).where(SurveyRun.status != "closed").order_by(SurveyRun.id)).all():
        if source_of(run.id) in announced or not runs.is_open(run, now):
            continue
        body = render("wechat/notice_survey.txt", run=run, closes=show(run.closes_at, SHORT)).strip()
        notice = service.create(session=session, community=session.get(Community, run.community_id),
                                title=f"新调查：{run.title}"[:service.TITLE_MAX], body=body,
                                scope=run_scope(run, session=session), kind="调查", actor="system", now=now,
                                source=source_of(run.id))
        service.fan_out(notice, session=session, now=now, render=render)
        done += 1
    return done
