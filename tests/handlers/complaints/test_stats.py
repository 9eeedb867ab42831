"""Figures: volume, on-time rate and satisfaction by dimension, within the viewer's scope."""
from __future__ import annotations

from handlers.complaints import stats
from handlers.complaints.env import Actor
from handlers.complaints.lifecycle import transition
from handlers.complaints.queries import Scope
from tests.fixtures.complaints import WORKER


def test_on_time_and_satisfaction_by_category_and_department(make_complaint, department, complaint_env, clock,
                                                             db_session, run_job):
    dept = department(categories=("environment", "water"))
    actor = Actor("d", "department", dept.id)
    flow = [("dispatch", WORKER, {}), ("sign", actor, {}), ("resolve", actor, {"note": "好了"})]
    quick = make_complaint(steps=flow)
    transition(quick, "rate", env=complaint_env(), actor=Actor.resident(quick.resident_id), result="solved", score=5)
    slow = make_complaint(category="water", openid="oSlow", steps=flow[:2])
    clock.advance(2 * 86400)  # urgent: 24 h
    assert run_job("complaints.deadlines") == "warned 0, escalated 1, closed 0"
    slow = db_session.merge(slow)
    from tests.fixtures.complaints import add_after_photo
    add_after_photo(db_session, slow)
    transition(slow, "resolve", env=complaint_env(), actor=actor, note="晚了")
    transition(slow, "rate", env=complaint_env(), actor=Actor.resident(slow.resident_id), result="partly", score=3)
    make_complaint(openid="oNew")
    db_session.commit()
    labels = stats.label_maps({"environment": "环境卫生", "water": "供水排水"}, session=db_session)
    by_category = {r.label: r for r in stats.by("category", Scope(), None, labels["category"], session=db_session)}
    env_row, water_row = by_category["环境卫生"], by_category["供水排水"]
    assert (env_row.total, env_row.resolved, env_row.on_time_rate, env_row.satisfaction_rate) == (2, 1, 1.0, 1.0)
    assert (water_row.on_time_rate, water_row.satisfaction_rate, water_row.score) == (0.0, 0.0, 3.0)
    by_department = {r.label: r for r in stats.by("department", Scope(), None, labels["department"],
                                                  session=db_session)}
    assert by_department["物业公司"].resolved == 2 and by_department["未指定"].total == 1
    assert stats.by("category", Scope(community_ids=frozenset({999})), None, {}, session=db_session) == []
