"""Ballots: one per household, the voter policy, history, and the race of two family members."""
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import Session, select

from models import Household
from models.surveys import Ballot, BallotHistory, SurveyRun
from surveys import ballots, runs, stats
from surveys.errors import NotAllowed


def at(clock, seconds=0):
    return datetime.fromtimestamp(clock.now + seconds, timezone.utc)


def test_gate_equals_hand_count_with_excluded_households(db_session, seed_community, bind_resident, publish_run,
                                                         clock, render):
    layout = {"1号楼": ["occupied"] * 8 + ["vacant", "vacant"], "2号楼": ["occupied", "rented", "non_residential"]}
    seeded = seed_community(layout=layout)
    run = publish_run(seeded.community)
    voters = [h for h in seeded.households if h.status in ("occupied", "rented")]
    choices = ["yes"] * 6 + ["no", "abstain"]  # 8 of the 10 eligible households answer
    for i, (household, choice) in enumerate(zip(voters[:8], choices)):
        resident = bind_resident(household, f"o-{i}")
        raw = {"agree": choice, "reason": "cost"} if choice == "no" else {"agree": choice}
        ballots.cast_by_resident(run.id, resident.id, raw, channel="wechat", session=db_session, now=at(clock),
                                 render=render)
    db_session.commit()

    figures = stats.summary(run.id, session=db_session)
    hand_eligible, hand_yes = 10, 6  # 9 occupied + 1 rented; 2 vacant and 1 non-residential excluded
    assert figures["eligible_households"] == hand_eligible
    assert figures["excluded_by_status"] == {"vacant": 2, "non_residential": 1}
    assert figures["ballots"] == 8 and figures["gate_yes"] == hand_yes
    assert figures["gate_rate"] == round(hand_yes / hand_eligible, 4) and figures["gate_rate_respondents"] == 0.75
    assert figures["required_yes"] == 8 and figures["still_needed"] == 2 and figures["passed"] is False
    row = stats.overview(session=db_session)["runs"][0]
    assert (row["ballots"], row["gate_yes"], row["gate_rate"]) == (8, 6, figures["gate_rate"])


def test_excluded_and_unbound_households_may_not_vote(db_session, seed_community, bind_resident, publish_run,
                                                      clock, render):
    seeded = seed_community()
    run = publish_run(seeded.community)
    vacant = bind_resident(seeded.by_status("vacant")[0], "o-vacant")
    with pytest.raises(NotAllowed, match="范围"):
        ballots.cast_by_resident(run.id, vacant.id, {"agree": "yes"}, channel="h5", session=db_session, now=at(clock),
                                 render=render)
    pending = bind_resident(seeded.households[0], "o-pending", verified=False)
    with pytest.raises(NotAllowed, match="核实"):
        ballots.cast_by_resident(run.id, pending.id, {"agree": "yes"}, channel="h5", session=db_session,
                                 now=at(clock), render=render)


def test_owner_only_policy_and_changes_kept(db_session, seed_community, bind_resident, publish_run, clock, render):
    seeded = seed_community()
    household = seeded.households[0]
    household.voter_policy = "owner_only"
    db_session.add(household)
    db_session.commit()
    run = publish_run(seeded.community)
    tenant = bind_resident(household, "o-tenant", role="family")
    owner = bind_resident(household, "o-owner", role="owner")
    with pytest.raises(NotAllowed, match="产权人"):
        ballots.cast_by_resident(run.id, tenant.id, {"agree": "yes"}, channel="h5", session=db_session,
                                 now=at(clock), render=render)
    ballots.cast_by_resident(run.id, owner.id, {"agree": "no", "reason": "cost"}, channel="h5", session=db_session,
                             now=at(clock), render=render)
    ballot = ballots.cast_by_resident(run.id, owner.id, {"agree": "yes"}, channel="wechat", session=db_session,
                                      now=at(clock, 60), render=render)
    db_session.commit()
    assert ballot.revision == 2 and ballot.answers == {"agree": "yes"}
    assert [h.answers["agree"] for h in ballots.history(ballot.id, session=db_session)] == ["no", "yes"]
    assert stats.summary(run.id, session=db_session)["gate_yes"] == 1
    assert db_session.get(SurveyRun, run.id).gate_yes_count == 1


def test_closed_run_refuses_and_clock_advances(db_session, seed_community, bind_resident, publish_run, clock, render):
    seeded = seed_community()
    run = publish_run(seeded.community, opens_at=at(clock, 3600), closes_at=at(clock, 7200))
    assert run.status == "scheduled"
    resident = bind_resident(seeded.households[0], "o-late")
    with pytest.raises(NotAllowed, match="未开始或已结束"):
        ballots.cast_by_resident(run.id, resident.id, {"agree": "yes"}, channel="h5", session=db_session,
                                 now=at(clock), render=render)
    assert runs.advance(session=db_session, now=at(clock, 3601)) == {"opened": 1, "closed": 0}
    assert runs.advance(session=db_session, now=at(clock, 3602)) == {"opened": 0, "closed": 0}
    assert runs.advance(session=db_session, now=at(clock, 7200)) == {"opened": 0, "closed": 1}


@pytest.mark.parametrize("changeable", [True, False])
def test_two_family_members_at_the_same_moment_leave_one_ballot(make_app, db_session, seed_community, bind_resident,
                                                                publish_run, clock, changeable, render):
    seeded = seed_community()
    household = seeded.households[0]
    household.answers_changeable = changeable
    db_session.add(household)
    db_session.commit()
    run = publish_run(seeded.community)
    members = [bind_resident(household, "o-mother"), bind_resident(household, "o-son", role="family")]
    workers = [make_app(), make_app()]  # two app instances (two engines, two pools) on one database
    barrier, outcomes = threading.Barrier(2), []

    def vote(app, resident, choice):
        with Session(app.extensions["linli.engine"], expire_on_commit=False) as session:
            barrier.wait()
            try:
                ballots.cast_by_resident(run.id, resident.id, {"agree": choice, "reason": "noise"}, channel="wechat",
                                         session=session, now=at(clock), render=render)
                session.commit()
                outcomes.append("ok")
            except NotAllowed:
                session.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=vote, args=(w, m, c)) for w, m, c in zip(workers, members, ["yes", "no"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    db_session.expire_all()
    rows = db_session.exec(select(Ballot).where(Ballot.run_id == run.id)).all()
    assert len(rows) == 1
    assert sorted(outcomes) == (["ok", "ok"] if changeable else ["ok", "refused"])
    history = db_session.exec(select(BallotHistory).where(BallotHistory.ballot_id == rows[0].id)).all()
    assert len(history) == (2 if changeable else 1)
    counted = db_session.get(SurveyRun, run.id)
    assert counted.ballot_count == 1 and counted.gate_yes_count == int(rows[0].gate_yes)
    assert db_session.get(Household, household.id).id == rows[0].household_id


def test_a_replaced_ballot_is_told_to_the_other_bound_members(db_session, seed_community, bind_resident, publish_run,
                                                              clock, render):
    from models import OutboundMessage

    seeded = seed_community()
    household = seeded.households[0]
    run = publish_run(seeded.community)
    owner = bind_resident(household, "o-owner")
    tenant = bind_resident(household, "o-tenant", role="tenant")
    bind_resident(seeded.households[1], "o-neighbour")
    ballots.cast_by_resident(run.id, owner.id, {"agree": "yes"}, channel="h5", session=db_session, now=at(clock),
                             render=render)
    assert db_session.exec(select(OutboundMessage)).all() == []  # a first ballot replaces nothing
    ballots.cast_by_resident(run.id, tenant.id, {"agree": "no", "reason": "cost"}, channel="wechat",
                             session=db_session, now=at(clock, 60), render=render)
    paper = ballots.Cast(channel="paper", raw={"agree": "yes"}, actor="worker1", photo_key="paper/1.jpg")
    ballots.cast_ballot(run.id, household.id, paper, session=db_session, now=at(clock, 120), render=render)
    db_session.commit()
    rows = db_session.exec(select(OutboundMessage).order_by(OutboundMessage.id)).all()
    told = [(m.openid, m.payload["text"]) for m in rows]
    assert [openid for openid, _ in told] == ["o-owner", "o-owner", "o-tenant"]
    assert "由本户租户重新提交" in told[0][1]
    assert all("由社区工作人员按签字的纸质答卷重新提交" in text for _, text in told[1:])
