"""进度 / 改造进度 through the real /wechat endpoint: stage, next step, the building's items, the page link."""
from datetime import datetime, timezone

from handlers.projects import editing
from models.projects import ProjectItem, ensure_project


def say(wechat, openid, text):
    status, reply = wechat.text(openid, text)
    assert status == 200
    return reply["Content"]


def add_items(db_session, seeded, clock, render):
    project = ensure_project(seeded.community.id, session=db_session)
    now = datetime.fromtimestamp(clock.now, timezone.utc)
    first, second = seeded.households[0].building_id, seeded.households[-1].building_id
    for values in ({"name": "雨污管网改造", "category": "basic", "status": "working", "progress": 30},
                   {"name": "屋面防水", "scope": "building", "building_id": first, "progress": 60,
                    "status": "working"},
                   {"name": "外墙保温", "scope": "building", "building_id": second, "category": "improve"}):
        editing.save_item(ProjectItem(project_id=project.id), values, session=db_session, now=now, render=render)
    db_session.commit()


def test_progress_shows_stage_next_step_and_the_building_items(wechat, db_session, seed_community, bind_resident,
                                                                clock, render):
    seeded = seed_community()
    add_items(db_session, seeded, clock, render)
    bind_resident(seeded.households[0], "o-progress")
    reply = say(wechat, "o-progress", "进度")
    assert "现在处于“申报/纳入计划”阶段（进行中）" in reply
    assert "下一步：意愿征询" in reply
    assert "雨污管网改造（全小区，基础类）：施工中，完成 30%" in reply
    assert "屋面防水（1号楼，基础类）：施工中，完成 60%" in reply
    assert "外墙保温" not in reply  # another building's item
    assert "/h5/project?t=" in reply
    assert say(wechat, "o-progress", "改造进度") == reply


def test_unbound_resident_is_asked_to_bind_politely(wechat, seed_community):
    seed_community()
    reply = say(wechat, "o-nobody", "改造进度")
    assert "请回复“绑定”" in reply and "改造进展" in reply


def test_complaint_progress_words_still_reach_complaints(wechat, seed_community, bind_resident):
    seeded = seed_community()
    bind_resident(seeded.households[0], "o-complainer")
    assert "现在处于" not in say(wechat, "o-complainer", "我的诉求")
    assert "现在处于" not in say(wechat, "o-complainer", "查进度")


def test_a_failed_gate_is_said_in_chat(wechat, db_session, seed_community, bind_resident, publish_run, clock, render):
    from surveys import ballots, runs

    seeded = seed_community()
    run = publish_run(seeded.community)
    now = datetime.fromtimestamp(clock.now, timezone.utc)
    for household in seeded.by_status("occupied")[:2]:
        ballots.cast_ballot(run.id, household.id, ballots.Cast(channel="paper", raw={"agree": "yes"}, actor="w"),
                            session=db_session, now=now, render=render)
    runs.close(run.id, session=db_session, now=now, actor="t")
    db_session.commit()
    bind_resident(seeded.households[0], "o-gate")
    reply = say(wechat, "o-gate", "进度")
    assert "现在处于“意愿征询”阶段（进行中）。调查未达到80%，本阶段继续。" in reply
    assert "下一步：方案设计与征求意见" in reply
