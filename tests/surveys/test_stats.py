"""Per-question tallies, per-building figures, progress, not-answered list and themes."""
from datetime import datetime, timedelta, timezone

from surveys import ballots, stats
from surveys.stats.themes import themes


def test_full_report_by_building_progress_and_not_answered(db_session, seed_community, bind_resident, publish_run,
                                                           clock, render):
    seeded = seed_community()
    run = publish_run(seeded.community)
    first_day = datetime.fromtimestamp(clock.now, timezone.utc)
    answers = [({"agree": "yes", "items": ["pipes"], "comment": "希望加装电梯，老人上下楼太难"}, 0),
               ({"agree": "yes", "items": ["pipes", "roof"], "comment": "加装电梯要考虑一楼采光"}, 0),
               ({"agree": "no", "reason": "cost"}, 1)]
    for i, (raw, day) in enumerate(answers):
        resident = bind_resident(seeded.households[i], f"o-s{i}")
        ballots.cast_by_resident(run.id, resident.id, raw, channel="h5", session=db_session,
                                 now=first_day + timedelta(days=day), render=render)
    db_session.commit()
    report = stats.full_report(run.id, session=db_session)
    assert report["summary"] == stats.summary(run.id, session=db_session)  # one pass or separate queries: same
    items = next(q for q in report["questions"] if q["code"] == "items")
    assert {o["code"]: o["count"] for o in items["options"]}["pipes"] == 2 and items["answered"] == 2
    assert [(b["building"], b["eligible"], b["ballots"], b["gate_yes"]) for b in report["buildings"]] == \
        [("1号楼", 6, 3, 2), ("2号楼", 3, 0, 0)]
    assert [p["cumulative"] for p in report["progress"]] == [2, 3]
    assert report["themes"][0]["themes"][0]["keyword"] == "电梯"
    missing = stats.not_answered(run.id, session=db_session)
    assert [(g["building"], g["count"]) for g in missing] == [("1号楼", 3), ("2号楼", 3)]
    assert all(h["owner"].endswith("*") and "****" in h["phone"] for g in missing for h in g["households"])


def test_themes_merge_same_comments_and_dedupe_examples():
    result = themes(["停车位太少，晚上经常停不下"] * 2 + ["楼道灯坏了"])
    keywords = [t["keyword"] for t in result]
    assert not ({"停车位", "停不下"} <= set(keywords))
    assert all(len(set(t["examples"])) == len(t["examples"]) for t in result)


def test_not_answered_list_masks_seven_digit_numbers(db_session, seed_community, publish_run):
    """The printed door-to-door list showed a 7-digit landline in full (surveys/masking.py, issue 17)."""
    seeded = seed_community()
    seeded.households[0].phone = "8765432"
    db_session.add(seeded.households[0])
    db_session.commit()
    run = publish_run(seeded.community)
    phones = [h["phone"] for g in stats.not_answered(run.id, session=db_session) for h in g["households"]]
    assert "***5432" in phones and "8765432" not in phones
