"""Faults under load: kill -9 web workers, the gunicorn master and the clock, restart PostgreSQL,
take the fake WeChat API down, fill the media disk; then check that nothing was lost.

    .venv/bin/python bench/faults/run.py            # about 3 minutes of load, every fault, some twice
    .venv/bin/python bench/faults/run.py --short    # 24 s of load, each fault but the master kill (CI)

The stack is bench/stack.py's (throwaway PostgreSQL, fake WeChat API, gunicorn,
clock); the load is bench/loadgen.py's mix with WeChat's behaviour on
failure: a message that got no 200 within 5 s is sent again after 5 s, up to
3 times.  After the load, the run waits (bounded) for the clock to submit
drafts, fetch photos and empty the outbox, then checks:

- every message that got a 200 is in ``inbound_message`` (exactly once);
- no photo/complaint/ballot duplicated or lost (each acknowledged photo is one
  photo of one complaint; each survey the resident was told was submitted
  has exactly one ballot, and no ballot is partial);
- every queued notification is ``sent`` and the fake API recorded it.

Time is accelerated 30x for the clock's retry timings (outbox backoff 1 s
doubling to 120 s instead of 30 s to 3600 s, claims taken back after 10 s
instead of 300 s), so the fake API being down for 20 s (long run; 8 s short)
stands for about ten (four) minutes of a real outage.  The media directory is a
32 MiB tmpfs (``mount -t tmpfs``, needs root); it is filled with a file during
the "disk full" window, then the file is removed.  Without root/mount the disk
fault is reported as not exercised and everything else still runs.
Exit status 1 when an invariant fails.  Writes bench/results/faults[-short].json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import signal
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench import checks  # noqa: E402
from bench.loadgen import Generator, stage_figures  # noqa: E402
from bench.stack import Stack  # noqa: E402

SCALE = 30  # seconds of a real outage per second here (outbox/fetch timings divided by this)
CONFIG = {
    "complaints": {"quiet_minutes": 0.2, "fetch_backoff_s": 1, "fetch_backoff_max_s": 120, "fetch_batch": 100},
    "outbox": {"rate_per_s": 200.0, "burst": 200, "batch_size": 200, "backoff_base_s": 30 / SCALE,
               "backoff_max_s": 3600 / SCALE, "claim_timeout_s": 300 / SCALE, "send_timeout_s": 10},
    "clock": {"misfire_grace_s": 5, "schedules": {
        "complaints.fetch_media": {"seconds": 2}, "complaints.finalize_intake": {"seconds": 3},
        "outbox.deliver": {"seconds": 1}}},
}


class Faults:
    """The fault actions, each logged with its time since the start of the load."""

    def __init__(self, stack: Stack, media_dir: Path, disk: bool):
        self.stack, self.media_dir, self.disk = stack, media_dir, disk
        self.t0 = time.monotonic()
        self.log: list[dict] = []

    def note(self, action: str, **detail) -> None:
        entry = {"t": round(time.monotonic() - self.t0, 1), "action": action, **detail}
        self.log.append(entry)
        print(json.dumps(entry, ensure_ascii=False), flush=True)

    def kill_worker(self) -> None:
        self.note("kill -9 web worker", pid=self.stack.kill_worker())

    def kill_master(self) -> None:
        started = time.monotonic()
        self.stack.kill_master_and_restart()
        self.note("kill -9 gunicorn master (+ its workers exit), new master serving",
                  took_s=round(time.monotonic() - started, 1))

    def kill_clock(self, down_s: float) -> None:
        self.stack.clock_paused = True
        self.stack.kill9(self.stack.clock)
        self.note("kill -9 clock")
        time.sleep(down_s)
        self.stack.start_clock()
        self.stack.clock_paused = False
        self.note("clock restarted")

    def restart_db(self, down_s: float) -> None:
        started = time.monotonic()
        self.stack.pg.restart(down_s=down_s)
        self.note("PostgreSQL restarted (immediate stop)", down_s=round(time.monotonic() - started, 1))

    def api_down(self, seconds: float) -> None:
        self.stack.fake_control("down", {"seconds": 0})
        self.note("fake WeChat API down (503)", stands_for_min=round(seconds * SCALE / 60, 1))
        time.sleep(seconds)
        self.stack.fake_control("up")
        self.note("fake WeChat API up")

    def disk_full(self, seconds: float) -> None:
        if not self.disk:
            self.note("disk full: not exercised (no tmpfs)")
            return
        filler = self.media_dir / "filler.bin"
        with filler.open("wb") as fh:
            try:
                while True:
                    fh.write(b"\0" * 65536)
            except OSError:
                pass
        free = os.statvfs(self.media_dir)
        self.note("media disk full", free_bytes=free.f_bavail * free.f_frsize)
        time.sleep(seconds)
        filler.unlink()
        self.note("media disk freed")


def plan(short: bool) -> tuple[float, float, list[tuple[float, str, tuple]]]:
    """(rate, seconds, [(at_s, action, args)])."""
    if short:
        # No master kill here: a new master's start costs 10-30 s on a busy 2-core machine.
        return 6, 24, [(2, "kill_worker", ()), (4, "kill_clock", (2,)), (7, "restart_db", (1,)),
                       (9, "api_down", (8,)), (10, "disk_full", (6,)), (18, "kill_worker", ())]
    return 8, 180, [(10, "kill_worker", ()), (20, "kill_clock", (3,)), (30, "restart_db", (2,)),
                     (45, "kill_worker", ()), (50, "api_down", (20,)), (55, "disk_full", (20,)),
                     (80, "kill_master", ()), (95, "restart_db", (5,)), (110, "kill_clock", (10,)),
                     (120, "kill_worker", ()), (125, "kill_worker", ()), (140, "api_down", (20,))]


async def drive(gen: Generator, faults: Faults, rate: float, seconds: float, schedule) -> None:
    loop = asyncio.get_running_loop()

    async def at(when: float, action: str, args: tuple) -> None:
        await asyncio.sleep(when)
        try:
            await loop.run_in_executor(None, lambda: getattr(faults, action)(*args))
        except Exception as exc:  # noqa: BLE001 (a fault that could not be staged is reported; the checks still run)
            faults.note(f"{action} FAILED: {exc}")

    actions = [asyncio.ensure_future(at(when, action, args)) for when, action, args in schedule]
    faults.t0 = time.monotonic()
    await gen.run_stage("faults", rate, seconds)
    await asyncio.gather(*actions)


def mount_tmpfs(path: Path) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32m,mode=0777", "tmpfs", str(path)],
                          capture_output=True)
    return done.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--short", action="store_true", help="CI: 24 s of load, each fault but the master kill")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--rate", type=float, default=0, help="msg/s (default 8, short 6: under what a busy "
                                                               "2-core machine holds, so latencies mean something)")
    parser.add_argument("--settle-s", type=float, default=180)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the stack on the way out
    rate, seconds, schedule = plan(args.short)
    rate = args.rate or rate
    out = Path(args.out or ROOT / "bench" / "results" / ("faults-short.json" if args.short else "faults.json"))

    with tempfile.TemporaryDirectory(prefix="linli-faults-") as tmp:
        media_dir = Path(tmp) / "media"
        disk = mount_tmpfs(media_dir)
        try:
            report = run(Path(tmp), media_dir, disk, rate, seconds, schedule, args)
        finally:
            if disk:
                subprocess.run(["umount", "-l", str(media_dir)], capture_output=True)
    print_report(report)
    if not args.short or args.out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    sys.exit(1 if report["problems"] else 0)


def run(tmp: Path, media_dir: Path, disk: bool, rate: float, seconds: float, schedule, args) -> dict:
    with Stack(tmp, workers=args.workers, config_extra=CONFIG) as stack:
        seeded = stack.seed(households=300, walkers=int(rate * seconds * 0.1 / 4) + 30)
        media = stack.upload_media(int(rate * seconds * 0.12) + 20)
        gen = Generator(stack.web_port, media_ids=media, walkers=seeded["walkers"], wechat_retries=True)
        faults = Faults(stack, media_dir, disk)
        started = time.monotonic()
        asyncio.run(drive(gen, faults, rate, seconds, schedule))
        load_s = time.monotonic() - started
        settle = checks.wait_settled(stack, args.settle_s)
        result = checks.verify(stack, gen.stats, seeded["run_id"])
        figures = stage_figures(gen.stats.attempts, "faults", seconds)
        figures["first_attempt_errors"] = sum(1 for a in gen.stats.attempts if a.status != 200 and not a.retry)
        return {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "short": args.short,
                "rate": rate, "seconds": seconds, "workers": args.workers, "load_wall_s": round(load_s, 1),
                "disk_fault": disk, "faults": faults.log, "clock_exits_restarted": stack.clock_exits, "figures": figures, "settle": settle,
                "checks": result,
                "problems": checks.problems(result) + checks.unsettled(settle)
                + [f["action"] for f in faults.log if "FAILED" in f["action"]]}


def print_report(r: dict) -> None:
    c, f = r["checks"], r["figures"]
    print(f"\nfaults run ({'short' if r['short'] else 'long'}): {r['rate']:g} msg/s for {r['seconds']:g} s, "
          f"gunicorn -w {r['workers']}, time scale 1:{SCALE} for retries")
    print(f"attempts {f['requests']}, non-200 attempts {f['errors']} (first attempts {f['first_attempt_errors']}), "
          f"p50 {f['p50_ms']} ms, p99 {f['p99_ms']} ms, max {f['max_ms']} ms")
    print(f"acknowledged {c['acknowledged']}, never acknowledged after WeChat's retries {c['never_acknowledged']}, "
          f"acknowledged lost {c['acknowledged_lost']}, handler failures {c['handler_failures']}")
    print(f"photos {c['photos_acknowledged']} (lost {c['photos_lost']}, dup {c['photos_duplicated']}); complaints "
          f"{c['complaints_by_state']}; ballots {c['ballots']} for {c['walkers_submitted']} submitted (lost "
          f"{c['ballots_lost']}, dup {c['ballots_duplicated']}, partial {c['ballots_incomplete']})")
    print(f"outbox {c['outbox']}, delivered twice {c['outbox_delivered_twice']}; settled {r['settle']}")
    print(f"clock exits restarted by the supervisor: {r['clock_exits_restarted'] or 'none'}")
    print("problems: " + ("; ".join(r["problems"]) if r["problems"] else "none"))


if __name__ == "__main__":
    main()
