"""The transition table: who may do what when, events, clocks, notices, duplicates."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from handlers.complaints import lifecycle
from handlers.complaints.env import SYSTEM, Actor
from handlers.complaints.lifecycle import transition
from handlers.complaints.rules import TransitionError
from handlers.complaints.notices import local_time
from models import ComplaintEvent, ComplaintFollower
from tests.fixtures.complaints import WORKER, add_after_photo, outbox_for


def dept_actor(dept) -> Actor:
    return Actor("dept1", "department", dept.id)


def test_full_life_records_events_and_tells_the_resident(make_complaint, department, complaint_env, db_session):
    dept = department()
    c = make_complaint(steps=[("dispatch", WORKER, {}), ("sign", dept_actor(dept), {})])
    assert c.state == "in_progress" and c.department_id == dept.id and c.routed_by == "category"
    add_after_photo(db_session, c)
    transition(c, "resolve", env=complaint_env(), actor=dept_actor(dept), note="已清理")
    assert c.state == "resolved" and c.resolved_on_time is True
    transition(c, "rate", env=complaint_env(), actor=Actor.resident(c.resident_id), result="solved", score=5)
    assert (c.state, c.closure_reason, c.rating_score) == ("closed", "fixed", 5)
    actions = [e.action for e in db_session.exec(select(ComplaintEvent).where(ComplaintEvent.complaint_id == c.id)
                                                .order_by(ComplaintEvent.id))]
    assert actions == ["submit", "dispatch", "sign", "resolve", "rate"]
    texts = [m.payload.get("text", "") for m in outbox_for(db_session, c.openid)]
    assert c.ticket in texts[0] and "已收到" in texts[0] and "已受理" not in texts[0]  # waits for review
    assert "已派给【物业公司】" in texts[1] and "签收" not in texts[1].split("，")[0]
    assert "前签收" not in texts[1]  # the department's deadline is not the resident's business
    signed = db_session.exec(select(ComplaintEvent).where(ComplaintEvent.action == "sign")).one()
    assert f"已由【物业公司】于 {local_time(signed.at)} 签收" in texts[2]
    resolution = outbox_for(db_session, c.openid)[3]
    assert resolution.payload["news"][0]["title"].startswith("您反映的问题已处理")
    assert "1 已解决" in texts[4] and "感谢" in texts[5]
    assert all(m.dedup_key.startswith(f"complaint:{c.id}:") for m in outbox_for(db_session, c.openid))


def test_wrong_state_wrong_role_and_missing_reason_are_refused(make_complaint, department, complaint_env):
    dept, other = department(), department("市政", ("water",))
    c = make_complaint(steps=[("dispatch", WORKER, {})])
    with pytest.raises(TransitionError, match="当前状态（已派单）不能执行此操作（受理）"):  # labels, not codes
        transition(c, "accept", env=complaint_env(), actor=WORKER)
    with pytest.raises(TransitionError, match="权限"):
        transition(c, "sign", env=complaint_env(), actor=dept_actor(other))
    with pytest.raises(TransitionError, match="缺少必填内容：说明$"):
        transition(c, "return", env=complaint_env(), actor=dept_actor(dept))
    with pytest.raises(TransitionError, match="照片"):
        transition(c, "sign", env=complaint_env(), actor=dept_actor(dept))
        transition(c, "resolve", env=complaint_env(), actor=dept_actor(dept), note="好了")
    assert lifecycle.allowed_actions(c, dept_actor(dept)) == ["return", "request_extension", "resolve"]


def test_returns_are_capped_and_routing_can_be_overridden(make_complaint, department, complaint_env, app):
    dept, other = department(), department("街道城建", ())
    c = make_complaint()
    for n in range(3):
        transition(c, "dispatch", env=complaint_env(), actor=WORKER)
        transition(c, "return", env=complaint_env(), actor=dept_actor(dept), note="不归我们管")
        assert c.return_count == n + 1 and c.state == "returned" and c.department_id is None
    transition(c, "dispatch", env=complaint_env(), actor=WORKER)
    with pytest.raises(TransitionError, match="上限"):
        transition(c, "return", env=complaint_env(), actor=dept_actor(dept), note="还是不归")
    c2 = make_complaint(category="other")
    with pytest.raises(TransitionError, match="承办部门"):
        transition(c2, "dispatch", env=complaint_env(), actor=WORKER)
    transition(c2, "dispatch", env=complaint_env(), actor=WORKER, department_id=other.id)
    assert (c2.department_id, c2.routed_by) == (other.id, "manual")


def test_not_solved_reopens_and_closing_unsatisfied_needs_a_sign_off(make_complaint, department, complaint_env):
    dept = department()
    c = make_complaint(steps=[("dispatch", WORKER, {}), ("sign", dept_actor(dept), {}),
                              ("resolve", dept_actor(dept), {"note": "已处理"})])
    transition(c, "rate", env=complaint_env(), actor=Actor.resident(c.resident_id), result="not_solved", score=1)
    assert c.state == "reopened" and c.due_at is not None
    with pytest.raises(TransitionError, match="签字"):
        transition(c, "close", env=complaint_env(), actor=WORKER, reason="closed_unsatisfied", note="诉求超出范围")
    transition(c, "close", env=complaint_env(), actor=WORKER, reason="closed_unsatisfied", note="诉求超出范围",
               signed_off_by="王主任")
    assert (c.state, c.closure_reason) == ("closed", "closed_unsatisfied")


def test_need_info_pauses_the_clock_and_extensions_move_it(make_complaint, department, complaint_env):
    dept = department()
    c = make_complaint()
    transition(c, "request_info", env=complaint_env(), actor=WORKER, note="请拍一张全景")
    assert c.due_at is None
    transition(c, "add_info", env=complaint_env(), actor=Actor.resident(c.resident_id), note="在3号楼北")
    assert c.state == "submitted" and c.due_at is not None and "【补充】在3号楼北" in c.description
    transition(c, "dispatch", env=complaint_env(), actor=WORKER)
    transition(c, "sign", env=complaint_env(), actor=dept_actor(dept))
    due = c.due_at
    transition(c, "request_extension", env=complaint_env(), actor=dept_actor(dept), note="等材料", workdays=3)
    assert c.due_at == due
    transition(c, "grant_extension", env=complaint_env(), actor=WORKER)
    assert c.state == "in_progress" and c.due_at > due + timedelta(days=2)


def test_duplicates_link_to_the_original_whose_news_reaches_the_follower(make_complaint, department,
                                                                          complaint_env, db_session):
    dept = department()
    original = make_complaint(openid="oFirst")
    dup = make_complaint(openid="oSecond")
    transition(dup, "mark_duplicate", env=complaint_env(), actor=WORKER, original_id=original.id)
    assert dup.state == "duplicate" and dup.duplicate_of_id == original.id
    assert db_session.get(ComplaintFollower, (original.id, "oSecond")) is not None
    transition(original, "dispatch", env=complaint_env(), actor=WORKER)
    texts = [m.payload["text"] for m in outbox_for(db_session, "oSecond")]
    assert original.ticket in texts[-2] and "您关注的问题" in texts[-1] and dept.name in texts[-1]


def test_deadline_sweep_warns_escalates_and_closes(make_complaint, department, complaint_env, db_session, clock,
                                                   staff_user):
    from handlers.complaints import sweep
    from models import DepartmentSupervisor, StaffUser
    dept = department(categories=("water",))
    boss = staff_user("department", department="物业公司")
    db_session.get(StaffUser, boss.id).openid = "oBoss"
    db_session.add(DepartmentSupervisor(department_id=dept.id, staff_id=boss.id))
    db_session.commit()
    c = make_complaint(category="water", steps=[("dispatch", WORKER, {}), ("sign", dept_actor(dept), {})])
    assert c.deadline_class == "urgent" and c.due_at - c.stage_started_at == timedelta(hours=24)
    clock.advance(20 * 3600)
    assert sweep.run(env=complaint_env()) == {"warned": 1, "escalated": 0, "closed": 0}
    clock.advance(5 * 3600)
    assert sweep.run(env=complaint_env())["escalated"] == 1
    assert sweep.run(env=complaint_env())["escalated"] == 0
    assert "督办" in outbox_for(db_session, "oBoss")[0].payload["text"]
    add_after_photo(db_session, c)
    transition(c, "resolve", env=complaint_env(), actor=dept_actor(dept), note="修好了")
    assert c.resolved_on_time is False
    clock.advance(8 * 86400)
    assert sweep.run(env=complaint_env())["closed"] == 1 and c.state == "closed"
    assert lifecycle.TRANSITIONS["close"].roles[-1] == SYSTEM.role
