"""Departments as data: routing by category and community, retiring, supervisors told, gaps shown."""
from __future__ import annotations

import pytest

from handlers.complaints import routing, sweep
from handlers.complaints.departments import (DepartmentError, DepartmentSpec, retire_department, spec_of,
                                             update_department)
from handlers.complaints.env import Actor
from handlers.complaints.lifecycle import transition
from handlers.complaints.rules import TransitionError
from models import StaffUser
from tests.fixtures.complaints import WORKER, now_of, outbox_for
from tests.fixtures.console import community_named


@pytest.fixture
def two_communities(db_session):
    ids = community_named(db_session, "幸福里小区").id, community_named(db_session, "和平里小区").id
    db_session.commit()
    return ids


def test_dispatch_follows_category_and_community(department, make_complaint, complaint_env, two_communities):
    home, other = two_communities
    local = department("幸福里物业", categories=("environment", "parking"), communities=("幸福里小区",))
    c = make_complaint(category="parking", community_id=home)
    transition(c, "dispatch", env=complaint_env(), actor=WORKER)
    assert (c.department_id, c.routed_by) == (local.id, "category")
    elsewhere = make_complaint(category="parking", community_id=other, openid="oOther")
    with pytest.raises(TransitionError, match="没有默认承办部门"):
        transition(elsewhere, "dispatch", env=complaint_env(), actor=WORKER)
    assert elsewhere.department_id is None


def test_a_department_naming_the_community_wins_over_one_serving_all(department, db_session, app, two_communities):
    home, other = two_communities
    everywhere = department("市政", categories=("water",))
    local = department("幸福里物业", categories=("water",), communities=("幸福里小区",))
    settings = app.config["LINLI"]
    assert routing.department_for("water", home, settings, session=db_session).id == local.id
    assert routing.department_for("water", other, settings, session=db_session).id == everywhere.id
    assert routing.department_for("water", None, settings, session=db_session).id == everywhere.id


def test_retiring_waits_for_open_complaints_and_stops_routing(department, make_complaint, complaint_env,
                                                              db_session, app, clock):
    dept = department()
    c = make_complaint(steps=[("dispatch", WORKER, {})])
    with pytest.raises(DepartmentError, match="还有 1 件未办结的诉求，请先把它们改派"):
        retire_department(dept, now=now_of(clock), session=db_session)
    assert dept.retired_at is None
    transition(c, "return", env=complaint_env(), actor=Actor("d", "department", dept.id), note="不归我们管")
    retire_department(dept, now=now_of(clock), session=db_session)
    assert routing.department_for("environment", None, app.config["LINLI"], session=db_session) is None
    with pytest.raises(TransitionError, match="已撤销"):
        transition(c, "dispatch", env=complaint_env(), actor=WORKER, department_id=dept.id)
    with pytest.raises(DepartmentError, match="已撤销"):
        update_department(dept, spec_of(dept, session=db_session), settings=app.config["LINLI"], session=db_session)


def test_overdue_complaint_is_escalated_to_every_supervisor(department, make_complaint, complaint_env, db_session,
                                                            staff_user, clock, app):
    for name, openid in (("boss1", "oBoss1"), ("boss2", "oBoss2")):
        staff_user("worker", username=name)
        db_session.exec(StaffUser.__table__.update().where(StaffUser.username == name).values(openid=openid))
    db_session.commit()
    dept = department(categories=("water",))
    spec = spec_of(dept, session=db_session)
    spec.supervisors = ["boss1", "boss2"]
    update_department(dept, spec, settings=app.config["LINLI"], session=db_session)
    db_session.commit()
    make_complaint(category="water", steps=[("dispatch", WORKER, {}), ("sign", Actor("d", "department", dept.id), {})])
    clock.advance(30 * 3600)
    assert sweep.run(env=complaint_env())["escalated"] == 1
    for openid in ("oBoss1", "oBoss2"):
        assert "督办" in outbox_for(db_session, openid)[0].payload["text"]


def test_gaps_name_uncovered_categories_and_what_waits(department, make_complaint, db_session, app, two_communities):
    home, other = two_communities
    department("幸福里物业", categories=("parking",), communities=("幸福里小区",))
    make_complaint(category="parking", community_id=other)
    gaps = {g.category: g for g in routing.gaps(app.config["LINLI"], session=db_session)}
    assert gaps["parking"].communities == ("和平里小区",) and gaps["parking"].waiting == 1
    assert gaps["water"].communities == ("和平里小区", "幸福里小区")
    mine = {g.category for g in routing.gaps(app.config["LINLI"], frozenset({home}), session=db_session)}
    assert "parking" not in mine and "water" in mine


def test_spec_is_checked_before_anything_is_written(db_session, app, staff_user):
    from handlers.complaints.departments import create_department
    settings = app.config["LINLI"]
    for spec, message in ((DepartmentSpec("", ["water"]), "部门名称"),
                          (DepartmentSpec("甲", ["nope"]), "未知的诉求类别"),
                          (DepartmentSpec("甲", ["water"], supervisors=["ghost"]), "负责人账号不存在"),
                          (DepartmentSpec("甲", ["water"], phone="call me"), "联系电话")):
        with pytest.raises(DepartmentError, match=message):
            create_department(spec, settings=settings, session=db_session)
    made = create_department(DepartmentSpec("甲", ["供水排水", "water"], phone="0311-1234"),
                             settings=settings, session=db_session)
    assert made.categories == ["water"] and made.phone_public is False
