"""``flask complaints list --json`` for operators: state, category, location, ticket; no personal data."""
from __future__ import annotations

import json

from models import Resident


def test_list_json(runner, make_complaint, db_session):
    c = make_complaint(lat=38.04, lng=114.51, description="张三 13812345678 楼道灯坏了")
    db_session.add(Resident(openid="x", name="张三", phone="13812345678"))
    db_session.commit()
    result = runner.invoke(args=["complaints", "list", "--json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    assert items == [{**items[0], "ticket": c.ticket, "state": "submitted", "category": "environment"}]
    assert items[0]["location"]["lat"] == 38.04 and items[0]["category_name"] == "环境卫生"
    assert "13812345678" not in result.output and "张三" not in result.output
    assert json.loads(runner.invoke(args=["complaints", "list", "--json", "--state", "closed"]).output) == []


def test_calendar_seed_is_idempotent(runner):
    first = runner.invoke(args=["complaints", "calendar-seed"])
    second = runner.invoke(args=["complaints", "calendar-seed"])
    assert first.exit_code == 0 and "已写入 0 天" in second.output and "已写入 0 天" not in first.output
