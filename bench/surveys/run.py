"""A city of surveys: 1,000 communities x 200 households x 4 surveys = 800,000 ballots, and owners' decisions.

    .venv/bin/python bench/surveys/run.py --db sqlite                  # instance/bench_surveys.db
    .venv/bin/python bench/surveys/run.py --db postgresql+psycopg://linli_bench:bench@localhost/linli_bench_surveys
    .venv/bin/python bench/surveys/run.py --db sqlite --communities 50   # a quick look

Builds the schema and the city with bulk inserts (the same tables the service
uses; runs published through ``surveys.runs.publish`` for the roster freeze
semantics, ballots inserted in bulk with their counters), then times:

- ``overview``: ``surveys.stats.overview`` of every run in the city (target < 500 ms);
- ``survey``: ``surveys.stats.full_report`` of one run — gate, per question,
  per building, progress, free-text themes (target < 100 ms), and ``summary`` alone;
- ``decision_figures``: one owners' decision (one a community, for a stairwell, counted by area and by head:
  bench/surveys/owners.py) — ``surveys.stats.summary`` (target < 100 ms) and its door-to-door list;
- with ``--pages``: the console's overview and run pages end to end (rendering included).

Medians and p95 of repeated calls are written to bench/results/surveys-<dialect>.json.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402
from sqlmodel import Session, SQLModel, select  # noqa: E402

import models  # noqa: E402,F401
from bot.db import make_engine  # noqa: E402
from models import Building, Community, Household  # noqa: E402
from models.surveys import Ballot, SurveyEligible, SurveyRun  # noqa: E402
from surveys import definition as defs  # noqa: E402
from surveys import samples, stats  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import owners as decisions  # noqa: E402  bench/surveys/owners.py, beside this file

BUILDINGS = 8
COMMENTS = ["楼道灯坏了很久，希望改造时一起修", "希望加装电梯，老人上下楼太难", "停车位太少，晚上经常停不下",
            "下水道经常堵，希望彻底改造管网", "担心施工噪音影响老人休息", "希望增加健身器材和休息座椅",
            "外墙保温做好一点，冬天太冷", "电动车充电桩不够，经常飞线充电", "希望施工期间保证出行安全", ""]
NOW = datetime(2026, 11, 1, tzinfo=timezone.utc)


def answers_for(phase: str, rnd: random.Random) -> dict:
    comment = rnd.choice(COMMENTS)
    if phase == "willingness":
        agree = rnd.choices(["yes", "no", "abstain"], [85, 10, 5])[0]
        a = {"agree": agree, **({"disagree_reason": rnd.choice(["cost", "disturb", "no_need", "other"])}
                                if agree == "no" else {})}
        return {**a, **({"concern": comment} if comment else {})}
    if phase == "plan_opinion":
        basic = rnd.sample(["pipes", "roof", "road", "fire", "sewer"], 3)
        improve = rnd.sample(["elevator", "parking", "charging", "green", "barrier_free", "security"], 2)
        a = {"basic": basic, "improve": improve, "upgrade": rnd.sample(["elderly", "childcare", "property"], 1)}
        if "elevator" in improve:
            a["elevator_floor"] = rnd.randint(1, 7)
        return {**a, **({"suggestion": comment} if comment else {})}
    if phase == "plan_vote":
        approve = rnd.choices(["yes", "no", "abstain"], [88, 8, 4])[0]
        return {"read": "yes", "approve": approve, **({"objection": comment or "不同意"} if approve == "no" else {})}
    overall = rnd.choices(["very_satisfied", "satisfied", "neutral", "dissatisfied"], [40, 45, 10, 5])[0]
    grid = {r: rnd.choice(["very_satisfied", "satisfied", "neutral"]) for r in
            ("pipes", "roof", "road", "green", "construction")}
    return {"items": grid, "overall": overall,
            **({"problem": comment or "一般"} if overall in ("neutral", "dissatisfied") else {})}


def build(engine, communities: int, households: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        tpls = samples.load_samples(session=session)
        session.commit()
        versions = {}
        from surveys import templates
        for t in tpls:
            versions[t.phase] = (t.id, templates.publish_version(t.id, session=session).id, t.draft)
        session.commit()
    started = time.perf_counter()
    for first in range(0, communities, 50):
        batch = range(first, min(first + 50, communities))
        with engine.begin() as conn:
            _city_batch(conn, batch, households, versions, rnd)
        print(f"  communities {batch.stop}/{communities} ({time.perf_counter() - started:.0f} s)", flush=True)


def _city_batch(conn, batch, households, versions, rnd) -> None:
    per_building = households // BUILDINGS
    conn.execute(insert(Community), [{"id": c + 1, "name": f"小区{c + 1:04d}", "code": f"C{c + 1:04d}",
                                      "district": "", "hotline": ""} for c in batch])
    conn.execute(insert(Building), [{"id": c * BUILDINGS + b + 1, "community_id": c + 1, "name": f"{b + 1}号楼",
                                     "sort_key": b} for c in batch for b in range(BUILDINGS)])
    homes = []
    for c in batch:
        for i in range(households):
            b = i // per_building
            status = rnd.choices(["occupied", "rented"], [92, 8])[0]  # all eligible: 800,000 ballots
            homes.append({"id": c * households + i + 1, "community_id": c + 1, "building_id": c * BUILDINGS + b + 1,
                          "unit": str(i % 2 + 1), "room": str(101 + i % per_building), "status": status,
                          "owner_name": f"住户{i}", "phone": f"1380000{i:04d}", "voter_policy": "any_verified",
                          "answers_changeable": True, "updated_at": NOW})
    decisions.decorate(homes, rnd)
    conn.execute(insert(Household), homes)
    _runs_batch(conn, batch, homes, versions, rnd)
    decisions.decisions(conn, batch, homes, versions["plan_vote"], rnd, NOW)


def _runs_batch(conn, batch, homes, versions, rnd) -> None:
    by_community: dict[int, list[dict]] = {}
    for h in homes:
        by_community.setdefault(h["community_id"], []).append(h)
    runs, eligible, ballots = [], [], []
    for c in batch:
        for p, phase in enumerate(samples.ORDER):
            run_id = c * 4 + p + 1
            template_id, version_id, d = versions[phase]
            d = defs.normalize(d)
            excluded = set(d["settings"]["exclude_statuses"])
            members = by_community[c + 1]
            ok = [h for h in members if h["status"] not in excluded]
            yes = 0
            for h in members:
                eligible.append({"run_id": run_id, "household_id": h["id"], "building_id": h["building_id"],
                                 "status": h["status"], "eligible": h["status"] not in excluded})
            for h in ok:  # every eligible household answers
                a = answers_for(phase, rnd)
                g = defs.gate_yes(d, a)
                yes += g
                at = NOW + timedelta(minutes=rnd.randint(0, 14 * 24 * 60))
                ballots.append({"run_id": run_id, "household_id": h["id"], "building_id": h["building_id"],
                                "version_id": version_id, "channel": rnd.choice(["wechat", "h5", "paper"]),
                                "answers": a, "gate_yes": g, "revision": 1, "created_at": at, "updated_at": at})
            runs.append({"id": run_id, "version_id": version_id, "template_id": template_id, "community_id": c + 1,
                         "phase": phase, "title": d["title"], "status": "open", "opens_at": NOW,
                         "closes_at": NOW + timedelta(days=30), "threshold": 0.8, "gate_basis": "eligible",
                         "results_visible": "after_close", "excluded_statuses": sorted(excluded),
                         "eligible_count": len(ok), "excluded_count": len(members) - len(ok),
                         "ballot_count": len(ok), "gate_yes_count": yes, "created_at": NOW, "created_by": "bench"})
    conn.execute(insert(SurveyRun), runs)
    conn.execute(insert(SurveyEligible), eligible)
    conn.execute(insert(Ballot), ballots)


def timed(fn, repeat: int) -> dict:
    samples_ms = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples_ms.append((time.perf_counter() - started) * 1000)
    samples_ms.sort()
    return {"median_ms": round(statistics.median(samples_ms), 1),
            "p95_ms": round(samples_ms[max(int(len(samples_ms) * 0.95) - 1, 0)], 1),
            "max_ms": round(samples_ms[-1], 1), "n": repeat}


def measure(engine, communities: int) -> dict:
    rnd = random.Random(1)
    run_ids = [rnd.randint(1, communities * 4) for _ in range(30)]
    with Session(engine) as session:
        stats.full_report(run_ids[0], session=session)  # warm jieba's dictionary once
        count = session.execute(text("SELECT count(*) FROM ballot")).scalar()
        overview = timed(lambda: stats.overview(session=session), 7)
        ids = iter(run_ids * 3)
        report = timed(lambda: stats.full_report(next(ids), session=session), 30)
        ids = iter(run_ids * 3)
        summary = timed(lambda: stats.summary(next(ids), session=session), 30)
        worker = timed(lambda: stats.overview(session=session, community_ids=list(range(1, 21))), 10)
    return {"ballots": count, "overview_all_runs": overview, "overview_20_communities": worker,
            "survey_full_report": report, "survey_summary": summary, **decisions.measure(engine, communities, timed)}


def measure_pages(url: str, communities: int) -> dict:
    """The console pages end to end (Flask test client, logged in as an admin): overview and one run."""
    import re

    from werkzeug.security import generate_password_hash

    from bot import create_app
    from models import StaffUser

    app = create_app({"app": {"env": "testing"}, "database": {"url": url}})
    with Session(app.extensions["linli.engine"]) as session:
        if session.exec(select(StaffUser).where(StaffUser.username == "bench_admin")).first() is None:
            session.add(StaffUser(username="bench_admin", role="admin",
                                  password_hash=generate_password_hash("bench-pass", method="scrypt:1024:8:1")))
            session.commit()
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/console/login").get_data(as_text=True))
    client.post("/console/login", data={"csrf_token": token.group(1), "username": "bench_admin",
                                         "password": "bench-pass"})
    rnd = random.Random(2)

    def get(path: str) -> None:
        assert client.get(path).status_code == 200, path

    get("/console/surveys/runs/1")  # warm templates and jieba
    return {"page_overview": timed(lambda: get("/console/surveys/"), 5),
            "page_run": timed(lambda: get(f"/console/surveys/runs/{rnd.randint(1, communities * 4)}"), 10)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite", help="sqlite, or a SQLAlchemy URL (postgresql+psycopg://...)")
    parser.add_argument("--communities", type=int, default=1000)
    parser.add_argument("--households", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="measure an existing city without rebuilding")
    parser.add_argument("--pages", action="store_true", help="also time the console pages end to end")
    args = parser.parse_args()
    url = f"sqlite:///{ROOT / 'instance' / 'bench_surveys.db'}" if args.db == "sqlite" else args.db
    engine = make_engine(url)
    if not args.reuse:
        started = time.perf_counter()
        build(engine, args.communities, args.households)
        print(f"built in {time.perf_counter() - started:.0f} s")
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE"))
    result = {"dialect": engine.dialect.name, "communities": args.communities, "households": args.households,
              "surveys_per_community": 4, **measure(engine, args.communities)}
    if args.pages:
        result.update(measure_pages(url, args.communities))
    print(json.dumps(result, ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results" / f"surveys-{engine.dialect.name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
