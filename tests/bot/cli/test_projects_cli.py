"""``project show --community NAME --json`` as promised to operators (INTERFACES.md)."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from handlers.projects import editing
from models.projects import ProjectItem, ensure_project


def test_show_lists_the_stages_and_items(runner, db_session, seed_community, publish_run, clock, render):
    seeded = seed_community("幸福里小区")
    project = ensure_project(seeded.community.id, session=db_session)
    now = datetime.fromtimestamp(clock.now, timezone.utc)
    building = seeded.households[0].building_id
    editing.save_item(ProjectItem(project_id=project.id), {"name": "屋面防水", "category": "basic",
                                                           "scope": "building", "building_id": building,
                                                           "status": "working", "progress": 40},
                      session=db_session, now=now, render=render)
    db_session.commit()
    publish_run(seeded.community)
    result = runner.invoke(args=["project", "show", "--community", "幸福里小区", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["stage"] == "意愿征询"
    assert [(s["name"], s["status"]) for s in data["stages"][:3]] == [
        ("申报/纳入计划", "done"), ("意愿征询", "active"), ("方案设计与征求意见", "pending")]
    assert data["stages"][1]["actual_start"] and "planned_end" in data["stages"][1]
    assert [{k: i[k] for k in ("name", "category", "status", "progress")} for i in data["items"]] == [
        {"name": "屋面防水", "category": "basic", "status": "working", "progress": 40}]
    assert data["items"][0]["category_label"] == "基础类" and data["items"][0]["status_label"] == "施工中"


def test_a_community_made_outside_gets_its_project_on_first_read(runner, db_session, seed_community):
    seed_community("老街小区")
    result = runner.invoke(args=["project", "show", "--community", "老街小区"])
    assert result.exit_code == 0, result.output
    assert "当前阶段 申报/纳入计划" in result.output


def test_unknown_community_is_a_clear_error(runner):
    result = runner.invoke(args=["project", "show", "--community", "没有的小区", "--json"])
    assert result.exit_code != 0 and "小区“没有的小区”不存在" in result.output
