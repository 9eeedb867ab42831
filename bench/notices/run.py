"""Notice benchmark: one notice to 20,000 bound residents of one city, queued, then delivered across a restart.

    .venv/bin/python bench/notices/run.py [--residents 20000] [--rate 200] [--pg] [--kill]

Builds a fresh database (SQLite file, or a throwaway PostgreSQL cluster with --pg,
bench/pg.py): one community of 100 buildings x 4 stairwells, households with one or
two bound members (20,000 residents); on PostgreSQL the tables are ANALYZEd after the
load, as autovacuum would (without statistics the first recipients query of a freshly
bulk-loaded database took 27 s: README).  Times ``notice send``'s work in process (write
the notice, fan out to the outbox, commit) and a second fan-out (must add nothing).
Then runs the real clock process (``flask --app bot clock``: ``outbox.deliver`` every
second, ``notices.send`` every 5 s) against the fake WeChat API, stops it when half is
delivered (SIGTERM, or SIGKILL with --kill), starts it again, and counts what WeChat
accepted per resident: none lost, none doubled.  Writes bench/results/notices[_pg].json.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402
from sqlmodel import Session, SQLModel, create_engine, select  # noqa: E402

import models  # noqa: E402,F401
from bench.pg import Postgres  # noqa: E402
from fakewechat import FakeWeChat  # noqa: E402
from models import Binding, Building, Community, Household, Notice, Resident  # noqa: E402
from models.base import utcnow  # noqa: E402

SECRET = "bench-app-secret"
BUILDINGS, UNITS = 100, 4


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=20_000)
    parser.add_argument("--rate", type=float, default=200.0, help="outbox.rate_per_s")
    parser.add_argument("--pg", action="store_true", help="PostgreSQL (a throwaway cluster) instead of SQLite")
    parser.add_argument("--kill", action="store_true", help="stop the clock with SIGKILL (a crash), not SIGTERM")
    parser.add_argument("--timeout", type=float, default=900.0)
    return parser.parse_args()


def write_config(workdir: Path, url: str, fake: FakeWeChat, args) -> Path:
    path = workdir / "config.toml"
    path.write_text(f"""
[app]
env = "testing"
secret_key = "bench-secret-key-bench-secret-key-0123"
log_level = "WARNING"
[database]
url = "{url}"
[wechat]
app_id = "wx5e1a0c0ffee2024a"
app_secret = "{SECRET}"
token = "OldCommunityToken2024"
api_base_url = "{fake.url}"
[outbox]
rate_per_s = {args.rate}
burst = 20
batch_size = 200
send_timeout_s = 5
[clock]
lock_path = "{workdir / 'clock.lock'}"
[clock.schedules]
"outbox.deliver" = {{seconds = 1}}
"notices.send" = {{seconds = 5}}
""")
    return path


def populate(url: str, residents: int) -> int:
    """One community; every tenth household has two members. Returns the community's id."""
    engine = create_engine(url)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    now, households = utcnow(), residents * 10 // 11
    with Session(engine) as session:
        community = Community(name="石家庄市幸福里小区", code="SJZ001")
        session.add(community)
        session.flush()
        buildings = [Building(community_id=community.id, name=f"{b}号楼", sort_key=b) for b in range(1, BUILDINGS + 1)]
        session.add_all(buildings)
        session.flush()
        session.execute(insert(Household), [
            {"community_id": community.id, "building_id": buildings[i % BUILDINGS].id,
             "unit": str(i // BUILDINGS % UNITS + 1), "room": str(1000 + i), "status": "occupied", "updated_at": now}
            for i in range(households)])
        session.execute(insert(Resident), [{"openid": f"oNotice{i:06d}", "active": True, "last_interaction_at": now,
                                            "community_id": community.id, "created_at": now} for i in range(residents)])
        ids = session.exec(select(Household.id).order_by(Household.id)).all()
        people = session.exec(select(Resident.id).order_by(Resident.id)).all()
        session.execute(insert(Binding), [{"resident_id": r, "household_id": ids[i % len(ids)], "role": "owner",
                                           "verified_by": "roster", "verified_at": now, "created_at": now}
                                          for i, r in enumerate(people)])
        session.commit()
        community_id = community.id
    if engine.dialect.name == "postgresql":  # what autovacuum does within a minute of a bulk load
        with engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()
    engine.dispose()
    return community_id


def queue_notice(config: Path, community_id: int) -> dict:
    """What ``notice send`` does, timed; then a second fan-out of the same notice."""
    os.environ["LINLI_CONFIG"] = str(config)
    from bot import create_app, db
    from bot.runtime import now as clock_now, render
    from handlers.notices import service

    app = create_app()
    with app.app_context():
        session = db.session()
        started = time.perf_counter()
        notice = service.create(session=session, community=session.get(Community, community_id), title="全小区停水通知",
                                body="明天 8:00-12:00 全小区停水检修，请提前储水。", kind="停水", actor="bench", now=clock_now())
        queued = service.send_if_due(notice, session=session, now=clock_now(), render=render)
        session.commit()
        queue_s = time.perf_counter() - started
        again_started = time.perf_counter()
        again = service.fan_out(session.get(Notice, notice.id), session=session, now=clock_now(), render=render)
        session.commit()
        return {"notice_id": notice.id, "queued": queued, "queue_s": round(queue_s, 2),
                "second_fan_out_added": again, "second_fan_out_s": round(time.perf_counter() - again_started, 2)}


def accepted(fake: FakeWeChat) -> list[dict]:
    return [c for c in fake.calls_to("custom/send") if c["errcode"] == 0]


def start_clock(env: dict, workdir: Path, n: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "bot", "clock"], cwd=ROOT, env=env,
                            stdout=open(workdir / f"clock{n}.log", "wb"), stderr=subprocess.STDOUT)


def deliver(env: dict, workdir: Path, fake: FakeWeChat, args) -> dict:
    """Run the clock, restart it once half is delivered, wait for everything (or the timeout)."""
    clock, restarted, started = start_clock(env, workdir, 1), None, time.monotonic()
    try:
        while time.monotonic() - started < args.timeout:
            done = len(accepted(fake))
            print(f"  t={time.monotonic() - started:6.1f}s sent={done:6d}", flush=True)
            if restarted is None and done >= args.residents // 2:
                clock.send_signal(signal.SIGKILL if args.kill else signal.SIGTERM)
                clock.wait(60)
                restarted = {"at_sent": done, "at_s": round(time.monotonic() - started, 1)}
                clock = start_clock(env, workdir, 2)
            if done >= args.residents:
                time.sleep(8)  # a late duplicate would show up here
                break
            time.sleep(1.0)
    finally:
        clock.send_signal(signal.SIGTERM)
        clock.wait(60)
    return {"restart": restarted, "wall_s": round(time.monotonic() - started, 1)}


def report(fake: FakeWeChat, queued: dict, delivered: dict, args) -> dict:
    calls = accepted(fake)
    per = Counter(c["json"]["touser"] for c in calls)
    span = calls[-1]["at"] - calls[0]["at"] if len(calls) > 1 else 0.0
    gaps = [(calls[i + 1]["at"] - calls[i]["at"], i + 1) for i in range(len(calls) - 1)] or [(0.0, 0)]
    gap, cut = max(gaps)  # the restart: the longest silence
    return {"database": "postgresql" if args.pg else "sqlite", "residents": args.residents,
            "stop": "SIGKILL" if args.kill else "SIGTERM", **queued, **delivered,
            "delivered_distinct": len(per), "lost": args.residents - len(per),
            "doubled": sum(v - 1 for v in per.values() if v > 1), "configured_rate_per_s": args.rate,
            "achieved_rate_per_s": round((len(calls) - 1) / span, 1) if span else None,
            "restart_gap_s": round(gap, 1), "rate_before_restart_per_s": rate(calls[:cut]),
            "rate_after_restart_per_s": rate(calls[cut:])}


def rate(calls: list[dict]) -> float | None:
    span = calls[-1]["at"] - calls[0]["at"] if len(calls) > 1 else 0.0
    return round((len(calls) - 1) / span, 1) if span else None


def main() -> None:
    args = parse()
    workdir = Path(tempfile.mkdtemp(prefix="linli-bench-notices-"))
    pg = Postgres(workdir) if args.pg else None
    if pg:
        pg.init()
    url = pg.url if pg else f"sqlite:///{workdir / 'bench.db'}"
    fake = FakeWeChat(app_secret=SECRET).start()
    try:
        print(f"{args.residents} bound residents on {url.split('@')[-1]} ...", flush=True)
        community_id = populate(url, args.residents)
        config = write_config(workdir, url, fake, args)
        queued = queue_notice(config, community_id)
        print(json.dumps(queued), flush=True)
        delivered = deliver({**os.environ, "LINLI_CONFIG": str(config)}, workdir, fake, args)
        result = report(fake, queued, delivered, args)
    finally:
        fake.stop()
        if pg:
            pg.stop()
    out = ROOT / "bench" / "results" / f"notices{'_pg' if args.pg else ''}{'_kill' if args.kill else ''}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
