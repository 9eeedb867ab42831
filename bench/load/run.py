"""Load: a realistic WeChat mix at rising rates against gunicorn on PostgreSQL, on loopback.

    .venv/bin/python bench/load/run.py [--rates 10,25,50,100,200,400] [--seconds 25] [--workers 4] [--safe]

Starts a throwaway stack (bench/stack.py: PostgreSQL cluster, fake WeChat API,
gunicorn ``bot:create_app()``, clock), seeds one community with bound
residents and an open survey, then posts the mix of bench/loadgen.py at each
rate for ``--seconds`` (open loop: a slow server does not slow the sender),
(stopping after two rates that were not held), then two more stages at
``--api-rate`` msg/s (default: half the rate held): the fake WeChat API answering
after ``--api-delay`` seconds, and the fake API down (503).  Afterwards it
waits for the clock to submit the drafts, fetch the photos and deliver the
outbox, and checks: every message that got a 200 is in ``inbound_message``
exactly once, no photo, complaint or ballot is duplicated or lost, every
notification was delivered (counted from the fake API's recorded calls).
Prints a table and writes bench/results/load.json.  Bounded: each stage
stops by itself; the whole run takes about (stages × seconds) + 2-4 minutes.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench import checks  # noqa: E402
from bench.loadgen import AES_KEY, Generator, stage_figures  # noqa: E402
from bench.stack import Stack  # noqa: E402

# Time constants of the clock shortened so that a run settles in a minute or two
# (production: quiet 10 min, fetch every 60 s, outbox every 3 s at 50/s).
FAST_CLOCK = {
    "complaints": {"quiet_minutes": 0.2, "fetch_backoff_s": 1, "fetch_backoff_max_s": 10, "fetch_batch": 200},
    "outbox": {"rate_per_s": 400.0, "burst": 400, "batch_size": 400, "backoff_base_s": 1, "backoff_max_s": 10,
               "max_attempts": 50, "claim_timeout_s": 20},
    "clock": {"misfire_grace_s": 5, "schedules": {
        "complaints.fetch_media": {"seconds": 2}, "complaints.finalize_intake": {"seconds": 3},
        "outbox.deliver": {"seconds": 1}}},
}


def config(safe: bool) -> dict:
    return {**FAST_CLOCK, "wechat": {"encoding_aes_key": AES_KEY}} if safe else FAST_CLOCK


def held(stages: list[dict], rates: list[float]) -> float | None:
    best = None
    for figures, rate in zip(stages, rates):
        if figures["errors"] == 0 and figures["p99_ms"] < 1000 and figures["achieved_per_s"] >= 0.95 * rate:
            best = rate
    return best


async def quiet(gen: Generator, limit_s: float = 90) -> None:
    """Until the server answers a probe within 0.5 s again (requests the generator gave up on
    still sit in gunicorn's queue after an overloaded stage), at most ``limit_s``."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        started = time.monotonic()
        probe = gen.next_probe()
        try:
            status, _ = await asyncio.wait_for(gen.post(probe), 15)
        except (OSError, asyncio.TimeoutError):
            status = 0
        if status == 200 and time.monotonic() - started < 0.5:
            return
        await asyncio.sleep(2)


async def drive(stack: Stack, gen: Generator, args) -> list[dict]:
    stages = []
    await gen.run_stage("warm-up", 5, 10)  # not reported: every worker has answered a few
    failed = 0
    for rate in args.rates:
        name = f"{rate:g}/s"
        started = time.monotonic()
        await gen.run_stage(name, rate, args.seconds)
        stages.append({**stage_figures(gen.stats.attempts, name, args.seconds), "rate": rate,
                       "wall_s": round(time.monotonic() - started, 1)})
        print(json.dumps(stages[-1], ensure_ascii=False), flush=True)
        await quiet(gen)
        if not held([stages[-1]], [rate]):
            failed += 1
            if failed >= 2 and not args.all_rates:  # two rates past the limit: higher ones pile up a longer queue
                break
    api_rate = args.api_rate or max(5.0, (held(stages, args.rates) or args.rates[0]) / 2)
    for name, control, body in (("api slow", "delay", {"seconds": args.api_delay}),
                                ("api down", "down", {"seconds": 0})):
        stack.fake_control(control, body)
        stage = f"{api_rate:g}/s {name}"
        await gen.run_stage(stage, api_rate, args.seconds)
        stages.append({**stage_figures(gen.stats.attempts, stage, args.seconds), "rate": api_rate})
        print(json.dumps(stages[-1], ensure_ascii=False), flush=True)
        stack.fake_control("delay", {"seconds": 0})
        stack.fake_control("up")
    return stages


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rates", default="10,25,50,100,200,400",
                        type=lambda s: [float(x) for x in s.split(",")])
    parser.add_argument("--seconds", type=float, default=25)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--api-rate", type=float, default=0, help="default: half the rate held")
    parser.add_argument("--api-delay", type=float, default=3.0)
    parser.add_argument("--retry-share", type=float, default=0.05)
    parser.add_argument("--safe", action="store_true", help="safe mode (encrypted), as production is configured")
    parser.add_argument("--settle-s", type=float, default=300)
    parser.add_argument("--all-rates", action="store_true",
                        help="run every rate, also past capacity (shows the backlog path keeping replies in time)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "load.json"))
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the stack on the way out

    total = sum(args.rates) * args.seconds + 2 * max(args.rates) * args.seconds
    with tempfile.TemporaryDirectory(prefix="linli-load-") as tmp, \
            Stack(Path(tmp), workers=args.workers, config_extra=config(args.safe)) as stack:
        seeded = stack.seed(households=600, walkers=int(total * 0.1 / 4) + 50)
        media = stack.upload_media(min(4000, int(total * 0.12) + 20))
        gen = Generator(stack.web_port, media_ids=media, walkers=seeded["walkers"], retry_share=args.retry_share,
                        safe=args.safe)
        started = time.monotonic()
        stages = asyncio.run(drive(stack, gen, args))
        settle = checks.wait_settled(stack, args.settle_s)
        result = checks.verify(stack, gen.stats, seeded["run_id"])
        found = checks.problems(result) + checks.unsettled(settle)
        report = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "workers": args.workers,
                  "mode": "safe" if args.safe else "plaintext",
                  "seconds_per_stage": args.seconds, "stages": stages,
                  "highest_rate_held": held([s for s in stages if "api" not in s["stage"]], args.rates),
                  "max_latency_ms_all": max(s["max_ms"] for s in stages),
                  "over_4_5s_all": sum(s["over_4_5s"] for s in stages), "generator_shed": gen.stats.shed,
                  "answered_later_all": sum(s["answered_later"] for s in stages),
                  "load_wall_s": round(time.monotonic() - started, 1), "settle": settle, "checks": result,
                  "problems": found}
    print_report(report)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    sys.exit(1 if found else 0)


def print_report(r: dict) -> None:
    print(f"\ngunicorn -w {r['workers']} (bot.serving.StampedThreadWorker) on PostgreSQL 15, loopback, {r['mode']}, "
          f"{r['seconds_per_stage']:g} s per stage")
    print(f"{'stage':<22}{'sent':>7}{'got/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}{'>4.5s':>7}"
          f"{'later':>7}")
    for s in r["stages"]:
        print(f"{s['stage']:<22}{s['requests']:>7}{s['achieved_per_s']:>8.1f}{s['p50_ms']:>9.1f}{s['p99_ms']:>9.1f}"
              f"{s['max_ms']:>9.1f}{s['errors']:>8}{s['over_4_5s']:>7}{s['answered_later']:>7}")
    c = r["checks"]
    print(f"highest rate held (p99 < 1 s, no errors): {r['highest_rate_held']} msg/s; "
          f"max latency {r['max_latency_ms_all']:.0f} ms; replies over 4.5 s: {r['over_4_5s_all']}; "
          f"answered later through the outbox: {r['answered_later_all']}")
    print(f"acknowledged {c['acknowledged']}, lost {c['acknowledged_lost']}, inbound duplicates "
          f"{c['inbound_duplicates']}; photos {c['photos_acknowledged']} (lost {c['photos_lost']}, dup "
          f"{c['photos_duplicated']}); ballots {c['ballots']} for {c['walkers_submitted']} submitted (lost "
          f"{c['ballots_lost']}, dup {c['ballots_duplicated']}); outbox {c['outbox']}")
    print("problems: " + ("; ".join(r["problems"]) if r["problems"] else "none"))


if __name__ == "__main__":
    main()
