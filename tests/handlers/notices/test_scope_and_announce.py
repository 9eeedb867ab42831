"""Scopes as workers write them, who is in one, and a survey run's announcement (once, in the run's scope)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlmodel import delete, select

from handlers.notices import announce, scope, service
from models import Household, Notice, OutboundMessage, SurveyEligible
from tests.fixtures.notices import bound


def test_scopes_parse_label_and_refuse(db_session, roster):
    one = scope.parse(roster.id, "1号楼", session=db_session)
    assert scope.label(one.building_id, one.unit, session=db_session) == "1号楼"
    for text in ("1号楼/2单元", "1/2", "1号楼／2"):
        found = scope.parse(roster.id, text, session=db_session)
        assert scope.label(found.building_id, found.unit, session=db_session) == "1号楼/2单元"
    assert scope.parse(roster.id, "全小区", session=db_session) == scope.Scope()
    with pytest.raises(scope.ScopeError):
        scope.parse(roster.id, "3号楼", session=db_session)
    with pytest.raises(scope.ScopeError):
        scope.parse(roster.id, "1号楼/3单元", session=db_session)
    assert scope.choices(roster.id, session=db_session) == ["全小区", "1号楼", "1号楼/1单元", "1号楼/2单元", "2号楼",
                                                    "2号楼/1单元", "2号楼/2单元"]


def test_recipients_are_active_bindings_in_scope_each_once(db_session, roster):
    from handlers.households.membership import unbind

    bound(db_session, "oA", "1号楼", "2", "102")
    bound(db_session, "oB", "1号楼", "2", "102", role="family")
    gone = bound(db_session, "oC", "1号楼", "2", "202")
    unbind(resident=gone, session=db_session)
    bound(db_session, "oD", "1号楼", "1", "101")
    stairwell = scope.parse(roster.id, "1号楼/2单元", session=db_session)
    assert scope.recipients(roster.id, stairwell, session=db_session) == ["oA", "oB"]
    assert scope.recipients(roster.id, scope.Scope(), session=db_session) == ["oA", "oB", "oD"]


def test_a_run_limited_to_one_stairwell_is_announced_there_once(db_session, roster, publish_run, render, clock):
    bound(db_session, "oA", "1号楼", "2", "102")
    bound(db_session, "oB", "2号楼", "1", "101")
    run = publish_run(roster)
    first = scope.parse(roster.id, "1号楼", session=db_session).building_id
    in_scope = select(Household.id).where(Household.room.in_(["102", "202", "302"]), Household.building_id == first)
    db_session.exec(delete(SurveyEligible).where(SurveyEligible.run_id == run.id,
                                                 SurveyEligible.household_id.not_in(in_scope)))
    db_session.commit()
    now = datetime.fromtimestamp(clock.now, timezone.utc)
    assert announce.run_scope(run, session=db_session) == "1号楼/2"
    assert announce.announce_open_runs(session=db_session, now=now, render=render) == 1
    assert announce.announce_open_runs(session=db_session, now=now, render=render) == 0
    [notice] = db_session.exec(select(Notice)).all()
    assert (notice.source, notice.kind, notice.unit) == (f"survey_run:{run.id}", "调查", "2")
    assert db_session.exec(select(OutboundMessage.openid)).all() == ["oA"]
    assert service.fan_out(notice, session=db_session, now=now, render=render) == 0
