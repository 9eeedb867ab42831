"""Owners' decisions (Civil Code art. 278): a seeded stairwell counted by hand, the boundaries, who may vote."""
import logging
import threading
from datetime import datetime, timezone

import pytest
from sqlmodel import Session, select

from models import Household
from models.surveys import Ballot, SurveyEligible
from surveys import ballots, owners, runs
from surveys.errors import NotAllowed, SurveyError
from surveys.stats import owners as owner_stats
from tests.fixtures.households import csv_bytes
from tests.fixtures.owners import (HEADER, OWNER_B, STAIRWELL, assert_no_clear_id, at, flat, paper, publish,
                                   stats_json, vote)


def test_figures_equal_a_hand_count_on_a_seeded_stairwell(runner, db_session, stairwell, bind_resident, clock,
                                                          render, caplog):
    caplog.set_level(logging.DEBUG)
    run_id = publish(runner, stairwell.id, "--scope", "3号楼/2单元", "--rule", "owners_special")
    run = runs.get(run_id, session=db_session)
    assert (run.rule, run.scope, run.eligible_count) == ("owners_special", "3号楼/2单元", 8)
    h = {room: flat(db_session, "3号楼", "2", room) for room, *_ in STAIRWELL}
    owner_a = bind_resident(h["101"], "o-a")
    tenant = bind_resident(h["201"], "o-tenant", role="tenant")
    b1, b2 = bind_resident(h["301"], "o-b1"), bind_resident(h["301"], "o-b2")
    family = bind_resident(h["301"], "o-b-son", role="family")
    owner_e = bind_resident(h["601"], "o-e")
    outsider = bind_resident(flat(db_session, "3号楼", "1", "101"), "o-out")

    vote(db_session, clock, render, run_id, owner_a, "yes")
    vote(db_session, clock, render, run_id, b1, "no")
    vote(db_session, clock, render, run_id, b2, "yes", channel="wechat")  # replaces the flat's one ballot
    vote(db_session, clock, render, run_id, owner_e, "no")
    paper(db_session, clock, render, run_id, h["501"], "yes")
    for resident, reason in ((tenant, "租户和家庭成员不能投票"), (family, "租户和家庭成员不能投票"),
                             (outsider, "不在表决范围")):
        with pytest.raises(NotAllowed, match=reason):
            vote(db_session, clock, render, run_id, resident, "yes")
        db_session.rollback()

    s = stats_json(runner, run_id)
    # By hand: heads A(101+201) B(301) C(401) D(501) E(601) developer(102+202) = 6; area 594.73 m².
    # Voted A, B, D, E = 4 heads (exactly 2/3), 135.75+80+88.88+70 = 374.63 m² < 2/3 × 594.73 = 396.49.
    assert {k: s[k] for k in ("rule", "scope", "owners_total", "area_total", "owners_voted", "area_voted",
                              "owners_yes", "area_yes", "participation_passed", "passed")} == {
        "rule": "owners_special", "scope": "3号楼/2单元", "owners_total": 6, "area_total": 594.73,
        "owners_voted": 4, "area_voted": 374.63, "owners_yes": 3, "area_yes": 304.63,
        "participation_passed": False, "passed": False}
    assert s["owners_still_needed"]["participation"] == {"owners": 0, "area": 21.86}
    assert len(db_session.exec(select(Ballot).where(Ballot.run_id == run_id, Ballot.household_id == h["301"].id))
               .all()) == 1

    paper(db_session, clock, render, run_id, h["102"], "yes")  # the developer signs for its unsold units
    s = stats_json(runner, run_id)
    # 5 heads, 504.63 m² took part; yes A, B, D, developer = 4 of 5 (≥ 3/4) and 434.63 of 504.63 m² (≥ 3/4).
    assert (s["owners_voted"], s["area_voted"], s["owners_yes"], s["area_yes"]) == (5, 504.63, 4, 434.63)
    assert s["participation_passed"] and s["agreement_passed"] and s["passed"]
    assert s["eligible_households"] == 8 and s["ballots"] == 5  # the household keys are kept
    not_voted = owner_stats.not_voted_by_floor(run, session=db_session)
    assert [(g["floor"], [(f["room"], f["owner"]) for f in g["flats"]]) for g in not_voted] == [(4, [("401", "丙**")])]
    assert_no_clear_id(db_session, caplog.text)


def test_the_roster_keeps_only_a_keyed_hash_and_refuses_a_bad_check_digit(runner, db_session, stairwell, tmp_path):
    keys = {h.room: h.owner_key for h in db_session.exec(select(Household).where(Household.unit == "2"))}
    assert keys["101"] == keys["201"] and len(keys["101"]) == 64 and keys["301"] != keys["101"]
    assert keys["102"] == keys["202"] == "developer" and keys["601"] is None
    bad = OWNER_B[:17] + ("0" if OWNER_B[17] != "0" else "1")
    source = tmp_path / "bad.csv"
    source.write_bytes(csv_bytes([["业主小区", "3号楼", "2", "301", "乙小红", "", "自住", "80", bad],
                                  ["业主小区", "3号楼", "2", "401", "丙老三", "", "自住", "90.1", ""]], header=HEADER))
    result = runner.invoke(args=["households", "import", str(source)])
    assert result.exit_code != 0 and "第2行" in result.output and "校验码" in result.output
    assert bad not in result.output
    db_session.expire_all()
    assert db_session.exec(select(Household).where(Household.unit == "2", Household.room == "401")).one().owner_key
    assert_no_clear_id(db_session, result.output)


def test_scope_and_rule_are_checked_at_publish(runner, db_session, stairwell):
    assert runner.invoke(args=["survey", "publish", str(stairwell.id), "--community", "业主小区",
                               "--scope", "9号楼", "--rule", "owners_majority"]).exit_code != 0
    result = runner.invoke(args=["survey", "publish", str(stairwell.id), "--community", "业主小区",
                                 "--scope", "3号楼"])
    assert result.exit_code != 0 and "--rule" in result.output
    run_id = publish(runner, stairwell.id, "--scope", "3栋", "--rule", "owners_majority")
    line = runner.invoke(args=["survey", "stats", str(run_id)]).output
    assert "业主过半数同意（双过半），3号楼" in line and "业主 7 人、面积 644.73㎡" in line and "未通过" in line
    frozen = db_session.exec(select(SurveyEligible).where(SurveyEligible.run_id == run_id)).all()
    assert len(frozen) == 9 and sum(e.area_c for e in frozen) == 59473 + 5000
    household_run = publish(runner, stairwell.id)  # no --rule: the household gate as before
    assert runs.get(household_run, session=db_session).rule is None
    assert "owners_total" not in stats_json(runner, household_run)


def test_a_flat_without_area_stops_an_owners_decision(runner, db_session, stairwell):
    household = flat(db_session, "4号楼", "1", "101")
    household.floor_area = None
    db_session.add(household)
    db_session.commit()
    with pytest.raises(SurveyError, match="没有面积"):
        runs.publish(stairwell.id, household.community_id, session=db_session, now=datetime.now(timezone.utc),
                     rule="owners_majority", scope="4号楼")
    db_session.rollback()


def tally(heads, area, voted, area_voted, yes, area_yes):
    return owners.Tally(heads, area, voted, area_voted, yes, area_yes)


@pytest.mark.parametrize("voted, area_voted, passed", [
    (6, 600, True),   # exactly 2/3 of 9 heads and of 900 (0.01 m²)
    (5, 900, False),  # one head short
    (9, 599, False),  # 0.01 m² short
])
def test_participation_at_exactly_two_thirds(voted, area_voted, passed):
    assert owners.participation_passed(tally(9, 900, voted, area_voted, 0, 0)) is passed


@pytest.mark.parametrize("yes, area_yes, special, majority", [
    (6, 600, True, True),     # exactly 3/4 of 8 heads and 800
    (5, 800, False, True),    # 5/8 heads: a majority, not 3/4
    (8, 599, False, True),    # 0.01 m² under 3/4 of the area
    (4, 800, False, False),   # exactly half the heads is not more than half
    (8, 400, False, False),   # exactly half the area is not more than half
])
def test_agreement_boundaries(yes, area_yes, special, majority):
    t = tally(12, 1200, 8, 800, yes, area_yes)
    assert owners.agreement_passed("owners_special", t) is special
    assert owners.agreement_passed("owners_majority", t) is majority


def test_nonvoters_join_the_majority_only_when_the_rule_says_so():
    t = tally(10, 1000, 7, 700, 5, 500)  # among voters 5/7: a majority, under 3/4
    assert owners.agreement_passed("owners_majority", t)
    assert owners.agreement_passed("owners_majority", t, nonvoters_join_majority=True)  # 8/10 yes
    assert owners.agreement_passed("owners_special", t, nonvoters_join_majority=True)  # 8/10 ≥ 3/4
    assert not owners.agreement_passed("owners_special", t)
    against = tally(10, 1000, 7, 700, 3, 300)  # voters' majority says no: non-voters join the no side
    assert not owners.agreement_passed("owners_majority", against, nonvoters_join_majority=True)


def test_two_co_owners_at_the_same_moment_leave_one_ballot(make_app, runner, db_session, stairwell, bind_resident,
                                                           clock, render):
    run_id = publish(runner, stairwell.id, "--scope", "3号楼/2单元", "--rule", "owners_special")
    household = flat(db_session, "3号楼", "2", "301")
    co_owners = [bind_resident(household, "o-co1"), bind_resident(household, "o-co2")]
    workers, barrier, outcomes = [make_app(), make_app()], threading.Barrier(2), []

    def cast(app, resident, choice):
        with Session(app.extensions["linli.engine"], expire_on_commit=False) as session:
            barrier.wait()
            ballots.cast_by_resident(run_id, resident.id, {"agree": choice, "reason": "cost"}, channel="h5",
                                     session=session, now=at(clock), render=render)
            session.commit()
            outcomes.append(choice)

    threads = [threading.Thread(target=cast, args=(w, r, c)) for w, r, c in zip(workers, co_owners, ["yes", "no"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db_session.expire_all()
    assert sorted(outcomes) == ["no", "yes"]
    assert len(db_session.exec(select(Ballot).where(Ballot.run_id == run_id)).all()) == 1
    s = stats_json(runner, run_id)
    assert (s["owners_voted"], s["area_voted"]) == (1, 80.0)


def test_cost_sharing_table_is_checked_and_shares_add_up(runner, db_session, stairwell):
    from surveys import cost_sharing, templates
    from surveys.errors import DefinitionError
    from tests.fixtures.surveys import sample_definition
    bad = sample_definition(code="bad-share", cost_sharing={"total": -1, "floor_coefficients": {"二": -1}})
    with pytest.raises(DefinitionError, match="total"):
        templates.import_definition(bad, session=db_session)
    db_session.rollback()
    run = runs.get(publish(runner, stairwell.id, "--scope", "3号楼/2单元", "--rule", "owners_special"),
                   session=db_session)
    shares = cost_sharing.shares(run, session=db_session)
    assert sum(s["yuan"] for s in shares.values()) in range(600000 - 4, 600000 + 5)  # rounded per flat
    assert {s["floor"]: s["yuan"] for s in shares.values()}[6] == round(600000 * 1.2 / 5.1)


def test_a_roster_with_id_numbers_is_refused_without_a_key(db_session, stairwell):
    from handlers.households.roster import import_roster
    from tests.fixtures.owners import roster_csv
    result = import_roster(roster_csv(), session=db_session, filename="r.csv", id_key="")
    assert not result.ok and [e.row for e in result.errors] == [2]  # said once, at the first ID number
    assert "id_hash_key" in str(result.errors[0])
    blank = csv_bytes([["业主小区", "3号楼", "2", "101", "甲大明", "", "自住", "60.5", ""],
                       ["业主小区", "3号楼", "2", "102", "某某置业", "", "空置", "65", "开发商"]], header=HEADER)
    assert import_roster(blank, session=db_session, filename="r.csv", id_key="").ok  # no number: no key needed
    db_session.rollback()


def test_reminders_of_a_decision_go_to_owners_who_have_not_voted(runner, db_session, stairwell, bind_resident,
                                                                 clock, render):
    from surveys import reminders
    run_id = publish(runner, stairwell.id, "--scope", "3号楼/2单元", "--rule", "owners_special")
    h = {room: flat(db_session, "3号楼", "2", room) for room in ("101", "201", "401", "601")}
    owner_a = bind_resident(h["101"], "o-a")
    bind_resident(h["201"], "o-a2")  # A's second flat, bound by another account of A's
    bind_resident(h["401"], "o-tenant-401", role="tenant")
    bind_resident(h["601"], "o-e")
    vote(db_session, clock, render, run_id, owner_a, "yes")
    told = reminders.recipients(runs.get(run_id, session=db_session), session=db_session)
    assert {household_id: r.openid for household_id, r in told.items()} == {h["601"].id: "o-e"}
