"""What a community has not passed before a later phase is published."""
from datetime import datetime, timezone

from surveys import ballots, phases
from tests.fixtures.surveys import sample_definition


def test_earlier_gates_in_order(db_session, seed_community, publish_run, bind_resident, clock):
    seeded = seed_community("阶段小区", {"1号楼": ["occupied"]})
    community_id = seeded.community.id
    assert phases.unmet_gates(community_id, "willingness", session=db_session) == []
    assert phases.unmet_gates(community_id, "satisfaction", session=db_session) == [
        "本小区还没有进行过“改造意愿”调查", "本小区还没有进行过“方案意见”调查"]
    run = publish_run(seeded.community)
    assert phases.unmet_gates(community_id, "plan_opinion", session=db_session) == ["本小区的“改造意愿”调查尚未达到门槛"]
    resident = bind_resident(seeded.households[0], "o-phases")
    ballots.cast_by_resident(run.id, resident.id, {"agree": "yes"}, channel="wechat", session=db_session,
                             now=datetime.fromtimestamp(clock.now, timezone.utc), render=lambda t, **v: "")
    db_session.commit()
    assert phases.unmet_gates(community_id, "plan_opinion", session=db_session) == []  # one household, 100%
    plan = sample_definition(code="test-plan", phase="plan_opinion", gate=None)
    publish_run(seeded.community, plan)
    assert phases.unmet_gates(community_id, "satisfaction", session=db_session) == [
        "本小区的“方案意见”调查尚未达到门槛"]
    vote = sample_definition(code="test-vote", phase="plan_vote")
    publish_run(seeded.community, vote)  # held, so it must pass too
    assert "本小区的“方案表决”调查尚未达到门槛" in phases.unmet_gates(community_id, "satisfaction", session=db_session)
