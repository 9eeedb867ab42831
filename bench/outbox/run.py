"""Outbox benchmark: N queued messages through the fake WeChat API by the real clock process.

    .venv/bin/python bench/outbox/run.py [--messages 10000] [--rate 200] [--burst 20]

Starts the fake API (in this process), queues the messages on a fresh SQLite
database (or --database URL), runs ``flask --app bot clock`` as a separate
process and samples, once a second, the messages WeChat accepted and the
clock's resident memory (VmRSS).  Reports the achieved rate against the
configured one, memory over time, 45009 answers (the fake enforces a quota of
1.5x the configured rate) and duplicates.  Writes bench/results/outbox.json.
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

from sqlalchemy import insert  # noqa: E402
from sqlmodel import Session, SQLModel, create_engine  # noqa: E402

import models  # noqa: E402,F401
from fakewechat import FakeWeChat  # noqa: E402
from models import OutboundMessage, Resident  # noqa: E402
from models.base import utcnow  # noqa: E402

SECRET = "bench-app-secret"


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=200.0, help="outbox.rate_per_s")
    parser.add_argument("--burst", type=int, default=20)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--database", default="", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "outbox.json"))
    return parser.parse_args()


def write_config(workdir: Path, url: str, fake: FakeWeChat, args) -> Path:
    path = workdir / "config.toml"
    path.write_text(f"""
[app]
env = "testing"
secret_key = "bench-secret-key"
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
burst = {args.burst}
batch_size = {args.batch}
send_timeout_s = 600
[clock]
lock_path = "{workdir / 'clock.lock'}"
[clock.schedules]
"outbox.deliver" = {{seconds = 1}}
""")
    return path


def queue(url: str, n: int) -> None:
    engine = create_engine(url)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    now = utcnow()
    openids = [f"oBench{i:05d}" for i in range(2000)]  # households of a large community
    with Session(engine) as session:
        session.add_all([Resident(openid=o, last_interaction_at=now) for o in openids])
        for start in range(0, n, 5000):
            session.execute(insert(OutboundMessage), [
                {"openid": openids[i % len(openids)], "kind": "survey_reminder", "payload": {"text": f"提醒 {i}"},
                 "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now}
                for i in range(start, min(n, start + 5000))])
        session.commit()
    engine.dispose()


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def accepted(fake: FakeWeChat) -> list[dict]:
    return [c for c in fake.calls_to("custom/send") if c["errcode"] == 0]


def sample(fake: FakeWeChat, clock: subprocess.Popen, n: int) -> list[dict]:
    samples, started = [], time.monotonic()
    while clock.poll() is None:
        done = len(accepted(fake))
        samples.append({"t": round(time.monotonic() - started, 1), "sent": done, "rss_kib": rss_kib(clock.pid)})
        print(f"  t={samples[-1]['t']:6.1f}s sent={done:6d} rss={samples[-1]['rss_kib'] / 1024:6.1f} MiB", flush=True)
        if done >= n:
            break
        time.sleep(1.0)
    return samples


def report(fake: FakeWeChat, samples: list[dict], args) -> dict:
    calls = accepted(fake)
    texts = Counter(c["json"]["text"]["content"] for c in calls)
    span = calls[-1]["at"] - calls[0]["at"] if len(calls) > 1 else 0.0
    steady = [s["rss_kib"] for s in samples if s["sent"] >= min(1000, args.messages // 10)]
    return {
        "messages": args.messages, "configured_rate_per_s": args.rate, "burst": args.burst,
        "delivered_distinct": len(texts), "duplicates": sum(texts.values()) - len(texts),
        "achieved_rate_per_s": round((len(calls) - 1) / span, 1) if span else None,
        "ratio_to_configured": round((len(calls) - 1) / span / args.rate, 3) if span else None,
        "answers_45009": sum(1 for c in fake.calls_to("custom/send") if c["errcode"] == 45009),
        "rss_mib": {"first": round(steady[0] / 1024, 1) if steady else None,
                    "max": round(max(steady) / 1024, 1) if steady else None,
                    "last": round(steady[-1] / 1024, 1) if steady else None},
        "samples": samples,
    }


def main() -> None:
    args = parse()
    workdir = Path(tempfile.mkdtemp(prefix="linli-bench-outbox-"))
    url = args.database or f"sqlite:///{workdir / 'bench.db'}"
    fake = FakeWeChat(app_secret=SECRET).start()
    fake.set_rate_limit(args.rate * 1.5)
    print(f"queueing {args.messages} messages on {url.split('@')[-1]} ...", flush=True)
    queue(url, args.messages)
    env = {**os.environ, "LINLI_CONFIG": str(write_config(workdir, url, fake, args))}
    clock = subprocess.Popen([sys.executable, "-m", "flask", "--app", "bot", "clock"], cwd=ROOT, env=env,
                             stdout=open(workdir / "clock.log", "wb"), stderr=subprocess.STDOUT)
    try:
        samples = sample(fake, clock, args.messages)
    finally:
        clock.send_signal(signal.SIGTERM)
        clock.wait(30)
        fake.stop()
    result = report(fake, samples, args)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(json.dumps({k: v for k, v in result.items() if k != "samples"}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
