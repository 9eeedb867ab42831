"""Owners' decisions in the surveys bench: one elevator decision (owners_special) per community, for one stairwell.

Every household gets a floor area (50-120 m²) and an owner key (about one owner in ten holds two flats of the
stairwell); the decision freezes the stairwell (1号楼, unit 1) with areas and keys, and about 80% of its flats
vote (online or on paper).  ``measure`` times ``surveys.stats.summary`` (which counts by area and by head) and
the console's door-to-door list for random decisions; the target is < 100 ms for one decision's figures.
"""
from __future__ import annotations

import hashlib
import random
from datetime import timedelta

from sqlalchemy import insert
from sqlmodel import Session

from models.surveys import Ballot, SurveyEligible, SurveyRun
from surveys import owners

RUN_BASE = 10_000_000  # decision run ids: RUN_BASE + community number (no clash with the 4 surveys a community)


def decorate(homes: list[dict], rnd: random.Random) -> None:
    """Areas and owner keys on the households about to be inserted (in place)."""
    previous = None
    for h in homes:
        h["floor_area"] = round(rnd.uniform(50, 120), 2)
        if previous is not None and previous["community_id"] == h["community_id"] and rnd.random() < 0.1:
            h["owner_key"] = previous["owner_key"]  # the same owner holds the flat next door
        else:
            h["owner_key"] = hashlib.sha256(f"owner-{h['id']}".encode()).hexdigest()
        previous = h


def decisions(conn, batch, homes: list[dict], version: tuple, rnd: random.Random, now) -> None:
    """One owners_special decision per community over 1号楼 unit 1, frozen and ~80% voted."""
    template_id, version_id, d = version
    runs, eligible, ballots = [], [], []
    for c in batch:
        run_id = RUN_BASE + c + 1
        stairwell = [h for h in homes if h["community_id"] == c + 1 and h["building_id"] == c * 8 + 1
                     and h["unit"] == "1"]
        voted = yes = 0
        for h in stairwell:
            eligible.append({"run_id": run_id, "household_id": h["id"], "building_id": h["building_id"],
                             "status": h["status"], "eligible": True, "area_c": round(h["floor_area"] * 100),
                             "owner_key": owners.head_key(h["id"], h["owner_key"]),
                             "floor": owners.floor_of(h["room"])})
            if rnd.random() < 0.8:
                approve = rnd.choices(["yes", "no"], [85, 15])[0]
                voted, yes = voted + 1, yes + (approve == "yes")
                at = now + timedelta(minutes=rnd.randint(0, 7 * 24 * 60))
                channel = rnd.choice(["wechat", "h5", "paper"])
                ballots.append({"run_id": run_id, "household_id": h["id"], "building_id": h["building_id"],
                                "version_id": version_id, "channel": channel, "answers": {"approve": approve},
                                "gate_yes": approve == "yes", "revision": 1, "created_at": at, "updated_at": at,
                                "photo_key": f"paper/{h['id']}.jpg" if channel == "paper" else None})
        runs.append({"id": run_id, "version_id": version_id, "template_id": template_id, "community_id": c + 1,
                     "phase": d["phase"], "title": "1号楼1单元加装电梯表决", "status": "open", "opens_at": now,
                     "closes_at": now + timedelta(days=30), "threshold": 0.8, "gate_basis": "eligible",
                     "results_visible": "after_close", "excluded_statuses": [], "rule": "owners_special",
                     "scope": "1号楼/1单元", "nonvoters_join_majority": False,
                     "eligible_count": len(stairwell), "excluded_count": 0, "ballot_count": voted,
                     "gate_yes_count": yes,
                     "created_at": now, "created_by": "bench"})
    conn.execute(insert(SurveyRun), runs)
    conn.execute(insert(SurveyEligible), eligible)
    conn.execute(insert(Ballot), ballots)


def measure(engine, communities: int, timed) -> dict:
    from surveys import stats
    from surveys.stats import owners as owner_stats

    rnd = random.Random(3)
    ids = [RUN_BASE + rnd.randint(1, communities) for _ in range(30)]
    with Session(engine) as session:
        figures = stats.summary(ids[0], session=session)
        assert figures["rule"] == "owners_special" and figures["owners_total"] > 0, figures
        it = iter(ids * 3)
        summary = timed(lambda: stats.summary(next(it), session=session), 30)
        it = iter(ids * 3)
        door = timed(lambda: owner_stats.not_voted_by_floor(session.get(SurveyRun, next(it)), session=session), 30)
    return {"decisions": communities, "decision_figures": summary, "decision_not_voted_by_floor": door,
            "decision_example": {k: figures[k] for k in ("owners_total", "area_total", "owners_voted", "area_voted",
                                                         "owners_yes", "area_yes", "participation_passed",
                                                         "passed")}}

