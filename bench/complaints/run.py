"""Complaint benchmarks: photo cleaning time and the console queue with 100,000 complaints.

    .venv/bin/python bench/complaints/run.py                    # both, SQLite in a temp dir
    .venv/bin/python bench/complaints/run.py --photos           # photo only
    .venv/bin/python bench/complaints/run.py --queue --rows 100000 --database-url postgresql+psycopg://...

Targets (issue 7): a 12-megapixel JPEG checked, stripped and thumbnailed in
under 300 ms; the queue page answering in under 200 ms with 100,000 complaints.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageFilter  # noqa: E402

from handlers.complaints.photos import process  # noqa: E402


def camera_like_jpeg(size=(4000, 3000)) -> bytes:
    """A 12 MP JPEG with texture (noise on a gradient) and camera EXIF with GPS."""
    noise = Image.effect_noise(size, 40).filter(ImageFilter.GaussianBlur(1))
    gradient = Image.linear_gradient("L").resize(size)
    im = Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.5)))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = "Bench", "Phone 12", 6
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (38.0, 2.0, 30.0), "E", (114.0, 30.0, 15.0)
    out = io.BytesIO()
    im.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def bench_photos(runs: int) -> dict:
    data = camera_like_jpeg()
    process(data)  # warm up
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        done = process(data)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    assert done.gps and b"Bench" not in done.data
    return {"bytes": len(data), "median_ms": statistics.median(times), "max_ms": max(times),
            "cpu_median_ms": statistics.median(cpu), "out": f"{done.width}x{done.height}",
            "thumb_bytes": len(done.thumb)}


def fill(app, rows: int) -> dict:
    """Communities, departments, a worker, and ``rows`` complaints spread over a year."""
    from sqlmodel import Session
    from werkzeug.security import generate_password_hash

    from models import Community, Department, StaffCommunity, StaffUser
    engine, rng = app.extensions["linli.engine"], random.Random(7)
    with Session(engine) as s:
        communities = [Community(name=f"小区{i:03d}") for i in range(50)]
        departments = [Department(name=f"部门{i}", categories=[]) for i in range(6)]
        s.add_all(communities + departments)
        s.flush()
        worker = StaffUser(username="bench", password_hash=generate_password_hash("bench-pass-1", "scrypt:1024:8:1"),
                           role="worker")
        admin = StaffUser(username="boss", password_hash=generate_password_hash("bench-pass-1", "scrypt:1024:8:1"),
                          role="admin")
        s.add_all([worker, admin])
        s.flush()
        s.add_all([StaffCommunity(staff_id=worker.id, community_id=c.id) for c in communities[:3]])
        s.commit()
        ids = [c.id for c in communities]
        dept_ids = [d.id for d in departments]
    started = time.perf_counter()
    insert_complaints(engine, rows, ids, dept_ids, rng)
    return {"rows": rows, "fill_s": round(time.perf_counter() - started, 1)}


def insert_complaints(engine, rows: int, ids: list[int], dept_ids: list[int], rng: random.Random) -> None:
    from models import Complaint
    now = datetime.now(timezone.utc)
    states = ["submitted", "dispatched", "in_progress", "resolved", "closed", "closed", "closed", "rejected"]
    cats = ["environment", "water", "facility", "safety", "parking", "building", "other"]
    batch = []
    with engine.begin() as conn:
        for n in range(rows):
            created = now - timedelta(minutes=rng.randint(0, 525_600))
            state = rng.choice(states)
            batch.append({
                "ticket": f"SP{created:%Y%m%d}-{n:06d}", "state": state, "community_id": rng.choice(ids),
                "category": rng.choice(cats), "deadline_class": "general", "description": "楼道堆放杂物",
                "department_id": rng.choice(dept_ids) if state != "submitted" else None, "return_count": 0,
                "overdue_stages": 0, "hidden": False, "location_label": "", "closure_note": "",
                "created_at": created, "updated_at": created, "submitted_at": created,
                "due_at": created + timedelta(days=7) if state in ("submitted", "dispatched", "in_progress") else None})
            if len(batch) == 5000:
                conn.execute(Complaint.__table__.insert(), batch)
                batch = []
        if batch:
            conn.execute(Complaint.__table__.insert(), batch)


def logged_in(app, username: str):
    client = app.test_client()
    html = client.get("/console/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    client.post("/console/login", data={"csrf_token": token, "username": username, "password": "bench-pass-1"})
    return client


def bench_queue(rows: int, database_url: str | None, runs: int) -> dict:
    from bot import PROJECT_ROOT, create_app
    from sqlmodel import SQLModel
    tmp = Path(tempfile.mkdtemp(prefix="linli-bench-"))
    url = database_url or f"sqlite:///{tmp / 'bench.db'}"
    app = create_app({"config_path": str(PROJECT_ROOT / "config.toml"), "app": {"env": "testing"},
                      "database": {"url": url}, "media": {"dir": str(tmp / "media")}})
    engine = app.extensions["linli.engine"]
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    info = fill(app, rows)
    results = {}
    for who, name, query in [("bench", "queue", ""), ("bench", "open", "?state=open"),
                             ("bench", "overdue", "?overdue=1"), ("bench", "category", "?category=water"),
                             ("bench", "page 20", "?page=20"), ("boss", "admin all", ""),
                             ("boss", "admin open", "?state=open&category=water")]:
        client = logged_in(app, who)
        client.get("/console/complaints/" + query)  # warm up
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            resp = client.get("/console/complaints/" + query)
            times.append((time.perf_counter() - started) * 1000)
            assert resp.status_code == 200, resp.status_code
        results[name] = {"median_ms": round(statistics.median(times), 1),
                         "p95_ms": round(sorted(times)[max(0, int(runs * .95) - 1)], 1)}
    engine.dispose()
    shutil.rmtree(tmp, ignore_errors=True)
    return {**info, "database": engine.dialect.name, "pages": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", action="store_true")
    parser.add_argument("--queue", action="store_true")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url")
    parser.add_argument("--json", help="also write the figures to this file (e.g. bench/results/complaints.json)")
    args = parser.parse_args()
    both = not (args.photos or args.queue)
    figures: dict = {"load_average": os.getloadavg()[0]}
    if args.photos or both:
        r = figures["photo"] = bench_photos(args.runs)
        print(f"photo 12 MP JPEG ({r['bytes'] // 1024} KB): check+GPS+strip+thumbnail median {r['median_ms']:.0f} ms, "
              f"max {r['max_ms']:.0f} ms, CPU {r['cpu_median_ms']:.0f} ms (target < 300 ms) -> stored {r['out']}, "
              f"thumbnail {r['thumb_bytes'] // 1024} KB")
    if args.queue or both:
        r = figures["queue"] = bench_queue(args.rows, args.database_url, args.runs)
        print(f"queue page, {r['rows']:,} complaints on {r['database']} (filled in {r['fill_s']} s), a worker of 3 "
              "of 50 communities and an admin, target < 200 ms:")
        for name, t in r["pages"].items():
            print(f"  {name:<9} median {t['median_ms']} ms, p95 {t['p95_ms']} ms")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
