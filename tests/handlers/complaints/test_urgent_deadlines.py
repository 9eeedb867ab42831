"""Urgent categories (供水排水, 安全隐患) run on calendar hours: no waiting for Monday or the holiday's end."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from handlers.complaints import sweep
from handlers.complaints.env import Actor
from handlers.complaints.lifecycle import transition
from tests.fixtures.complaints import WORKER, outbox_for

LOCAL = ZoneInfo("Asia/Shanghai")  # app.timezone in the tests' configuration


def at_local(clock, *args) -> datetime:
    """Move the test clock to a Beijing wall-clock time; returns it as aware UTC."""
    when = datetime(*args, tzinfo=LOCAL).astimezone(timezone.utc)
    clock.now = when.timestamp()
    return when


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL).astimezone(timezone.utc)


def test_an_urgent_complaint_is_reviewed_within_24_hours_across_a_weekend(make_complaint, complaint_env, clock,
                                                                        db_session):
    friday_evening = at_local(clock, 2026, 11, 20, 18, 0)  # Friday
    water = make_complaint(category="water", description="楼道水管爆了", openid="oWater")
    litter = make_complaint(category="environment", openid="oLitter")
    assert water.deadline_class == "urgent"
    assert water.due_at == friday_evening + timedelta(hours=24)  # Saturday 18:00, not Monday
    assert litter.due_at == local(2026, 11, 23, 18, 0)  # the general one still waits for Monday
    # The receipt tells the resident the true limit.
    assert "24小时内审核" in outbox_for(db_session, "oWater")[0].payload["text"]
    assert "1个工作日内审核" in outbox_for(db_session, "oLitter")[0].payload["text"]
    # Saturday evening past the limit: the sweep escalates it during the weekend.
    clock.advance(25 * 3600)
    assert sweep.escalate(env=complaint_env()) == 1 and water.escalated_at is not None
    assert litter.escalated_at is None


def test_an_urgent_complaint_runs_through_a_public_holiday(make_complaint, department, complaint_env, clock):
    dept = department("自来水公司", ("water",))
    at_local(clock, 2026, 9, 30, 10, 0)  # the eve of the National Day week
    water = make_complaint(category="water", openid="oWater")
    litter = make_complaint(category="environment", openid="oLitter")
    assert water.due_at == local(2026, 10, 1, 10, 0)  # 国庆 counts
    assert litter.due_at == local(2026, 10, 8, 10, 0)  # a working day: after the holiday
    at_local(clock, 2026, 10, 2, 9, 0)  # a holiday
    transition(water, "dispatch", env=complaint_env(), actor=WORKER)
    assert water.due_at == local(2026, 10, 3, 9, 0)  # sign within 24 hours, holiday or not
    transition(water, "sign", env=complaint_env(), actor=Actor("d", "department", dept.id))
    assert water.due_at == local(2026, 10, 3, 9, 0)  # handling: urgent_hours (24)
    transition(water, "request_extension", env=complaint_env(), actor=Actor("d", "department", dept.id),
               note="等配件", workdays=2)
    transition(water, "grant_extension", env=complaint_env(), actor=WORKER)
    assert water.due_at == local(2026, 10, 5, 9, 0)  # two calendar days, still inside the holiday


def test_urgent_review_hours_are_configurable(make_complaint, complaint_env, clock, app):
    app.config["LINLI"]["complaints"]["urgent_review_hours"] = 2
    start = at_local(clock, 2026, 11, 21, 23, 0)  # Saturday night
    gas = make_complaint(category="safety", description="闻到煤气味")
    assert gas.due_at == start + timedelta(hours=2)



def test_the_console_says_an_urgent_extension_counts_calendar_days(client, staff_user, make_complaint, department,
                                                                   db_session):
    from tests.fixtures.console import community_named, login
    dept = department("市政维修", ("water", "environment"))
    cid = community_named(db_session, "幸福里小区").id
    db_session.commit()
    signed = [("dispatch", WORKER, {}), ("sign", Actor("d", "department", dept.id), {})]
    water = make_complaint(category="water", community_id=cid, openid="oWater", steps=signed)
    litter = make_complaint(category="environment", community_id=cid, openid="oLitter", steps=signed)
    login(client, staff_user("department", department=dept.name))
    assert "延期天数（紧急类按日历天）" in client.get(f"/console/complaints/{water.id}").get_data(as_text=True)
    general = client.get(f"/console/complaints/{litter.id}").get_data(as_text=True)
    assert "延期工作日" in general and "日历天" not in general
