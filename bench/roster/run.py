"""Roster benchmark: import 50,000 households; list page latency with 200,000 households.

    .venv/bin/python bench/roster/run.py                      # SQLite (a temporary file)
    .venv/bin/python bench/roster/run.py --db postgresql+psycopg://USER@/linli_bench
    .venv/bin/python bench/roster/run.py --json bench/results/roster.json

Targets (issue 3): import of 50,000 households < 30 s; a household list page
with 200,000 households < 200 ms.  Pages are fetched through the Flask test
client with a logged-in worker (the whole view: auth, query, count, template).
"""
from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402
from sqlmodel import Session, SQLModel, select  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from bot import create_app  # noqa: E402
from handlers.households.roster import import_roster  # noqa: E402
from handlers.households.staff import create_staff  # noqa: E402
from models import Community, Household  # noqa: E402

HEADER = ["小区", "楼栋", "单元", "房号", "户主姓名", "联系电话", "状态"]
STATUSES = ["自住", "自住", "出租", "空置", "自住", "非住宅"]


def rows_for(community: str, count: int) -> list[list]:
    """``count`` households: 6 units × 30 floors × 4 doors per building."""
    rows = []
    for n in range(count):
        building, rest = divmod(n, 720)
        unit, rest = divmod(rest, 120)
        floor, door = divmod(rest, 4)
        rows.append([community, f"{building + 1}号楼", str(unit + 1), f"{floor + 1}{door + 1:02d}",
                     f"王{n % 997:03d}", f"139{n:08d}", STATUSES[n % len(STATUSES)]])
    return rows


def xlsx_of(rows: list[list]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_of(rows: list[list]) -> bytes:
    return "\n".join(",".join(map(str, r)) for r in [HEADER, *rows]).encode("gb18030")


def timed_import(engine, data: bytes, filename: str) -> tuple[float, dict]:
    started = time.perf_counter()
    with Session(engine) as session:
        result = import_roster(data, session=session, filename=filename)
        assert result.ok, [str(e) for e in result.errors[:5]]
        session.commit()
    return round(time.perf_counter() - started, 2), result.summary()


def setup(db_url: str | None):
    tmp = tempfile.mkdtemp(prefix="linli-roster-bench-")
    url = db_url or f"sqlite:///{tmp}/bench.db"
    app = create_app({"app": {"env": "testing", "log_level": "WARNING"}, "database": {"url": url},
                      "media": {"dir": f"{tmp}/media"}, "console": {"page_size": 50}})
    engine = app.extensions["linli.engine"]
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        for i in range(4):
            session.add(Community(name=f"基准小区{i + 1}"))
        session.commit()
    return app, engine


def bench_import(engine) -> dict:
    rows = rows_for("基准小区1", 50_000)
    xlsx = xlsx_of(rows)
    figures = {}
    figures["xlsx_50k_first_s"], summary = timed_import(engine, xlsx, "bench.xlsx")
    assert summary["created"] == 50_000
    figures["xlsx_50k_again_s"], summary = timed_import(engine, xlsx, "bench.xlsx")
    assert summary["unchanged"] == 50_000
    for i in (2, 3, 4):
        seconds, summary = timed_import(engine, csv_of(rows_for(f"基准小区{i}", 50_000)), "bench.csv")
        figures.setdefault("csv_gbk_50k_first_s", seconds)
    return figures


def login_worker(app, engine):
    with Session(engine) as session:
        names = [c.name for c in session.exec(select(Community))]
        create_staff(username="bench", password_hash=generate_password_hash("bench-pass-1", "scrypt:1024:8:1"),
                     role="worker", communities=names, session=session)
        session.commit()
        first = session.exec(select(Community).where(Community.name == "基准小区4")).one()
    client = app.test_client()
    html = client.get("/console/login").get_data(as_text=True)
    token = html.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post("/console/login", data={"csrf_token": token, "username": "bench",
                                                 "password": "bench-pass-1"}).status_code == 302
    return client, first.id


def latency(client, url: str, repeat: int) -> dict:
    client.get(url)  # warm
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        resp = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert resp.status_code == 200, resp.status_code
    samples.sort()
    return {"median_ms": round(statistics.median(samples), 1), "p95_ms": round(samples[int(len(samples) * .95) - 1], 1)}


def bench_pages(app, engine, repeat: int) -> dict:
    client, community_id = login_worker(app, engine)
    with Session(engine) as session:
        total = session.exec(select(Household.id)).all()
        deep = session.exec(select(Household).where(Household.community_id == community_id)
                            .order_by(Household.building_id, Household.unit, Household.room).offset(40_000)).first()
    after = f"{deep.community_id}~{deep.building_id}~{deep.unit}~{deep.room}"
    pages = {"all_communities_first": "/console/households",
             "one_community_first": f"/console/households?community={community_id}",
             "one_community_deep": f"/console/households?community={community_id}&after={after}",
             "building_and_status": f"/console/households?community={community_id}&building={deep.building_id}&status=rented",
             "search_phone_tail": f"/console/households?community={community_id}&q=0123"}
    return {"households": len(total), **{name: latency(client, url, repeat) for name, url in pages.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    app, engine = setup(args.db)
    figures = {"database": engine.dialect.name, "import": bench_import(engine),
               "list_page": bench_pages(app, engine, args.repeat),
               "load_average_1m": round(os.getloadavg()[0], 1), "cpus": os.cpu_count()}
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
