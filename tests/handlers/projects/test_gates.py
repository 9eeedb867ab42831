"""A project's stages follow the survey runs that decide them: linked, started, closed by the gate."""
from datetime import datetime, timedelta, timezone

from handlers.projects import gates, service
from models.projects import ensure_project, stages_of
from surveys import ballots, runs


def now_of(clock, seconds=0):
    return datetime.fromtimestamp(clock.now + seconds, timezone.utc)


def by_name(db_session, project):
    return {s.name: s for s in stages_of(project.id, session=db_session)}


def vote(db_session, run, households, answer, clock, render):
    for household in households:
        raw = {"agree": answer, "reason": "cost"} if answer == "no" else {"agree": answer}
        cast = ballots.Cast(channel="paper", raw=raw, actor="worker1")
        ballots.cast_ballot(run.id, household.id, cast, session=db_session, now=now_of(clock), render=render)


def test_every_community_gets_the_standard_stages_once(db_session, seed_community):
    community = seed_community().community
    project = ensure_project(community.id, session=db_session)
    assert ensure_project(community.id, session=db_session).id == project.id
    stages = stages_of(project.id, session=db_session)
    assert [s.name for s in stages] == ["申报/纳入计划", "意愿征询", "方案设计与征求意见", "方案公示/表决", "施工",
                                        "竣工验收与满意度", "长效管理"]
    assert [s.status for s in stages] == ["active"] + ["pending"] * 6


def test_passed_gate_closes_the_stage_and_starts_the_next(db_session, seed_community, publish_run, clock, render):
    seeded = seed_community()
    run = publish_run(seeded.community)
    project = service.current(seeded.community.id, session=db_session, now=now_of(clock))
    stages = by_name(db_session, project)
    assert stages["意愿征询"].run_id == run.id and stages["意愿征询"].status == "active"
    assert stages["申报/纳入计划"].status == "done"
    vote(db_session, run, seeded.by_status("occupied"), "yes", clock, render)
    runs.close(run.id, session=db_session, now=now_of(clock, 60), actor="t")
    assert gates.sync_all(session=db_session, now=now_of(clock, 60)) == 2
    assert gates.sync_all(session=db_session, now=now_of(clock, 120)) == 0  # idempotent
    stages = by_name(db_session, project)
    assert stages["意愿征询"].status == "done" and stages["意愿征询"].actual_end is not None
    assert stages["方案设计与征求意见"].status == "active"
    assert service.show(seeded.community, session=db_session, now=now_of(clock))["stage"] == "方案设计与征求意见"


def test_failed_gate_keeps_the_stage_open_and_says_so(db_session, seed_community, publish_run, clock, render):
    seeded = seed_community()
    run = publish_run(seeded.community)
    occupied = seeded.by_status("occupied")
    vote(db_session, run, occupied[:3], "yes", clock, render)
    vote(db_session, run, occupied[3:5], "no", clock, render)
    runs.close(run.id, session=db_session, now=now_of(clock, 60), actor="t")
    project = service.current(seeded.community.id, session=db_session, now=now_of(clock, 60))
    stages = by_name(db_session, project)
    assert stages["意愿征询"].status == "active" and "未达到80%" in stages["意愿征询"].note
    assert stages["方案设计与征求意见"].status == "pending"
    rerun = publish_run(seeded.community)  # a second run of the phase takes over the stage
    gates.sync(project, session=db_session, now=now_of(clock, 120))
    assert by_name(db_session, project)["意愿征询"].run_id == rerun.id


def test_a_scheduled_run_is_linked_but_starts_nothing(db_session, seed_community, publish_run, clock):
    seeded = seed_community()
    later = now_of(clock) + timedelta(days=3)
    run = publish_run(seeded.community, opens_at=later)
    project = service.current(seeded.community.id, session=db_session, now=now_of(clock))
    stage = by_name(db_session, project)["意愿征询"]
    assert stage.run_id == run.id and stage.status == "pending"
