"""First-request times after a process starts, per page and per message kind (issue 20 item 7).

    .venv/bin/python bench/coldstart/run.py                  # all three scenarios, a Markdown report
    .venv/bin/python bench/coldstart/run.py --json bench/results/coldstart.json
    .venv/bin/python bench/coldstart/run.py --only workers --code /path/to/other/checkout

A fresh SQLite instance gets the demo (``init-db --demo``, as scripts/run does); then

1. **cold** — one fresh process per item, ``[app] warm_up = "off"``: what each page or message
   costs as the very first request of a process nobody warmed (a server run without warm-up);
2. **warm** — one process, ``warm_up = "sync"`` (what ``create_app()`` does when served): the
   factory's time, then every item's first and second request;
3. **workers** — two processes warming at once (two gunicorn workers starting) while a third
   saves a survey template every 0.3 s: how long a write waits while the others warm.  With
   ``--code`` the two workers run another checkout's code (``create_app()`` then
   ``bot.warmup.warm(app)``, as its gunicorn.conf.py did) to show the figures before the fix.
   The saver starts first and stops when both workers are warm.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("probe.py")
sys.path.insert(0, str(ROOT))

from bench.coldstart.probe import MESSAGES, PAGES  # noqa: E402

WORKER = """
import sys, time
sys.path.insert(0, sys.argv[1])
started = time.perf_counter()
from bot import create_app
from bot.warmup import warm
app = create_app()
warm(app)  # a no-op once create_app() warmed; the old code's gunicorn.conf.py hook
print(round(time.perf_counter() - started, 2), flush=True)
"""
SAVER = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from bench.coldstart.probe import Console
from bot import create_app
console = Console(create_app())
console.log_in()
waits, failed, stop = [], 0, Path(sys.argv[2])
while not stop.exists():
    started = time.perf_counter()
    status = console.call("POST", "/console/surveys/templates/1", console.form_for("template_save"))
    waits.append(round(time.perf_counter() - started, 3))
    failed += status != 302
    time.sleep(0.3)
print(json.dumps({"waits": waits, "failed": failed}), flush=True)
"""


def environment(workdir: Path, warm_up: str) -> dict:
    return {**os.environ, "LINLI_CONFIG": str(ROOT / "config.toml"),
            "LINLI_DATABASE_URL": f"sqlite:///{workdir / 'linli.db'}", "LINLI_MEDIA_DIR": str(workdir / "media"),
            "LINLI_APP_ENV": "development", "LINLI_APP_WARM_UP": warm_up, "LINLI_APP_LOG_LEVEL": "WARNING",
            "LINLI_WECHAT_API_BASE_URL": "http://127.0.0.1:9/"}  # nothing listens: no outbound call succeeds


def prepare(workdir: Path) -> None:
    flask = Path(sys.executable).with_name("flask")
    subprocess.run([str(flask), "--app", "bot", "init-db", "--demo"], cwd=ROOT, env=environment(workdir, "off"),
                   check=True, capture_output=True, timeout=600)


def run_probe(workdir: Path, warm_up: str, items: list[str]) -> dict:
    done = subprocess.run([sys.executable, str(PROBE), *items], cwd=workdir, env=environment(workdir, warm_up),
                          capture_output=True, text=True, timeout=1800)
    if done.returncode:
        raise SystemExit(f"probe {items} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cold(workdir: Path, items: list[str]) -> dict:
    return {name: run_probe(workdir, "off", [name]) for name in items}


def warm(workdir: Path, items: list[str]) -> dict:
    return run_probe(workdir, "sync", items)


def workers(workdir: Path, code: Path) -> dict:
    env, stop = environment(workdir, "sync"), workdir / "stop-saving"
    saver = subprocess.Popen([sys.executable, "-c", SAVER, str(ROOT), str(stop)], cwd=workdir,
                             env=environment(workdir, "off"), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    time.sleep(1.0)  # the saver logs in first
    pair = [subprocess.Popen([sys.executable, "-c", WORKER, str(code)], cwd=workdir, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=1800) for p in pair]
    stop.touch()  # the saver stops once both workers are warm
    out, err = saver.communicate(timeout=1800)
    saved = json.loads(out.strip().splitlines()[-1]) if out.strip() else {"waits": [], "failed": None}
    waits = saved["waits"]
    return {"code": str(code), "workers_warm_s": [r[0].strip() for r in results],
            "locked": sum("database is locked" in r[1] for r in results) + ("database is locked" in err),
            "saves": len(waits), "saves_failed": saved["failed"],
            "save_median_s": statistics.median(waits) if waits else None,
            "save_max_s": max(waits) if waits else None}


def report(results: dict) -> str:
    lines = []
    if "cold" in results or "warm" in results:
        lines += ["| item | cold: first | cold: second | warm: first | warm: second |", "|---|---|---|---|---|"]
        warm_items = results.get("warm", {}).get("items", {})
        for name in [*PAGES, *MESSAGES]:
            cold_pair = results.get("cold", {}).get(name, {}).get("items", {}).get(name)
            warm_pair = warm_items.get(name)
            cells = [_cell(p) for pair in (cold_pair, warm_pair) for p in (pair or [None, None])]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        if "warm" in results:
            lines.append(f"\ncreate_app() with warm_up=sync: {results['warm']['create_app_s']} s")
    if "workers" in results:
        w = results["workers"]
        lines.append(f"\ntwo workers warming ({w['code']}): {w['workers_warm_s']} s; template saves meanwhile: "
                     f"{w['saves']} ({w['saves_failed']} failed), median {w['save_median_s']} s, max {w['save_max_s']} s; "
                     f"'database is locked': {w['locked']}")
    return "\n".join(lines)


def _cell(p: dict | None) -> str:
    if p is None:
        return "—"
    late = " (outbox)" if p.get("passive") is False else ""
    return f"{p['s']:.2f} s{late}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=("cold", "warm", "workers"), action="append")
    parser.add_argument("--items", nargs="*", default=[*PAGES, *MESSAGES])
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose code the two workers run")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    chosen = args.only or ["cold", "warm", "workers"]
    results: dict = {"cpus": os.cpu_count(), "load_before": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        prepare(workdir)
        if "cold" in chosen:
            results["cold"] = cold(workdir, args.items)
        if "warm" in chosen:
            results["warm"] = warm(workdir, args.items)
        if "workers" in chosen:
            results["workers"] = workers(workdir, args.code.resolve())
    results["load_after"] = os.getloadavg()[0]
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(report(results))
    print(f"\nload average before/after: {results['load_before']:.1f} / {results['load_after']:.1f} "
          f"on {results['cpus']} CPUs")


if __name__ == "__main__":
    main()
