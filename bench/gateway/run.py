"""Gateway benchmark: Linli's full /wechat pipeline vs a bare Flask+wechatpy echo.

Each server runs under ``gunicorn -w 2 -k sync`` (``--worker`` to change) on loopback; wrk drives it at
a fixed number of connections for a bounded time with pre-signed requests,
every one a new message (distinct MsgId).  Prints a table and writes JSON.

    .venv/bin/python bench/gateway/run.py [--seconds 10] [--connections 8] [--db sqlite|postgresql]

A third server, ``record``, is the echo plus one durable INSERT of each message
(raw driver, autocommit): the floor of any gateway that records every message
once before answering, as issue 2's exactly-once rule requires.

The Linli side runs on the demo data (the question matches a FAQ entry), on
SQLite (the embedded default) or on a throwaway PostgreSQL cluster.

Needs Debian's ``wrk`` (apt-get install wrk).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.wechat import crypto  # noqa: E402

TOKEN, APP_ID = "OldCommunityToken2024", "wx5e1a0c0ffee2024a"
AES_KEY = "LaoJiuXiaoQuGaiZaoTestEncodingAESKey2024abc"
ACCOUNT = "gh_0a1b2c3d4e5f"
QUESTION = "请问我们小区加装电梯，每户要出多少钱？"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def message_xml(msg_id: int, openid: str) -> str:
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{QUESTION}]]></Content><MsgId>{msg_id}</MsgId></xml>")


def build_requests(path: Path, count: int, safe: bool, base_id: int) -> None:
    """One line per request: '<path?query>\\t<body>', all signed now (fresh for 300 s)."""
    timestamp, nonce = str(int(time.time())), "20261121"
    sig = crypto.signature(TOKEN, timestamp, nonce)
    envelope = crypto.Envelope(AES_KEY, APP_ID)
    with path.open("w") as out:
        for i in range(count):
            xml = message_xml(base_id + i, f"oBenchResident{i % 500:04d}")
            query = f"/wechat?signature={sig}&timestamp={timestamp}&nonce={nonce}"
            if safe:
                enc = envelope.encrypt(xml)
                query += f"&encrypt_type=aes&msg_signature={crypto.signature(TOKEN, timestamp, nonce, enc)}"
                xml = f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><Encrypt><![CDATA[{enc}]]></Encrypt></xml>"
            out.write(f"{query}\t{xml}\n")


DATABASE_URL = {"url": ""}  # set by main()
WORKER = {"class": "sync", "threads": 1}  # --worker, --threads


def linli_env(workdir: Path, safe: bool) -> dict:
    config = workdir / "config.toml"
    url = DATABASE_URL["url"] or f"sqlite:///{workdir}/bench.db"
    config.write_text(
        (ROOT / "config.toml").read_text()
        .replace('url = "sqlite:///instance/linli.db"', f'url = "{url}"')
        .replace('encoding_aes_key = ""', f'encoding_aes_key = "{AES_KEY if safe else ""}"')
        .replace('env = "development"', 'env = "development"\nlog_level = "WARNING"'))
    env = {**os.environ, "LINLI_CONFIG": str(config)}
    subprocess.run([sys.executable, "-m", "flask", "--app", "bot", "init-db", "--demo"], env=env, cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)
    return env


def start_server(kind: str, safe: bool, workdir: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    if kind == "linli":
        env, app, cwd = linli_env(workdir, safe), "bot:create_app()", ROOT
    else:
        env = {**os.environ, "ECHO_AES_KEY": AES_KEY if safe else ""}
        if kind == "record":  # the echo plus one durable INSERT per message
            env["ECHO_RECORD_URL"] = DATABASE_URL["url"] or f"sqlite:///{workdir}/record.db"
        app, cwd = "echo_app:app", Path(__file__).parent
    conf = ["-c", str(ROOT / "gunicorn.conf.py")] if kind == "linli" else ["-c", "/dev/null"]  # warm-up: Linli's
    env["PYTHONPATH"] = str(ROOT)  # the worker class may be bot.serving's
    proc = subprocess.Popen([gunicorn, *conf, "-w", "2", "-k", WORKER["class"], "--threads", str(WORKER["threads"]),
                             "-b", f"127.0.0.1:{port}", "--log-level", "warning", app], env=env, cwd=cwd)
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/wechat", timeout=0.5)
            return proc, port
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"{kind} server did not start")


def run_wrk(port: int, lines: Path, seconds: int, connections: int) -> dict:
    script = Path(__file__).with_name("load.lua")
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
                          f"http://127.0.0.1:{port}", "--", str(lines), "2"],
                         capture_output=True, text=True, check=True).stdout
    return parse_wrk(out)


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[unit]


def parse_wrk(out: str) -> dict:
    pct = dict(re.findall(r"^\s+(\d+)%\s+(\S+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50_ms": to_ms(pct["50"]), "p99_ms": to_ms(pct["99"]),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "non_2xx": int(errors.group(1)) if errors else 0,
            "socket_errors": socket_errors.group(1) if socket_errors else ""}


def scenario(kind: str, safe: bool, seconds: int, connections: int, workdir: Path, base_id: int) -> dict:
    lines = workdir / f"{kind}-{'safe' if safe else 'plain'}.txt"
    build_requests(lines, max(20000, seconds * 6000), safe, base_id)
    proc, port = start_server(kind, safe, workdir)
    try:
        run_wrk(port, lines, 2, connections)  # warm-up (its MsgIds are reused below only past wrap-around)
        build_requests(lines, max(20000, seconds * 6000), safe, base_id + 10_000_000)
        return run_wrk(port, lines, seconds, connections)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--out", default=None)
    parser.add_argument("--worker", default="sync",
                        help="gunicorn worker class for every server (production: bot.serving.StampedThreadWorker)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (thread worker classes)")
    args = parser.parse_args()
    WORKER["class"], WORKER["threads"] = args.worker, args.threads
    args.out = args.out or str(ROOT / "bench" / "results" / f"gateway-{args.db}.json")
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    with tempfile.TemporaryDirectory() as tmp:
        if args.db == "postgresql":
            sys.path.insert(0, str(ROOT / "bench"))
            from pg import Postgres

            pg = Postgres(Path(tmp))
            pg.init()  # creates and starts the cluster
            try:
                DATABASE_URL["url"] = pg.url
                run_all(args, Path(tmp))
            finally:
                pg.stop()
        else:
            run_all(args, Path(tmp))


def run_all(args, tmp: Path) -> None:
    results = {}
    for n, (mode, safe) in enumerate((("plain", False), ("safe", True))):
        for kind in ("echo", "record", "linli"):
            workdir = tmp / f"{kind}-{mode}"
            workdir.mkdir()
            results[f"{kind}/{mode}"] = scenario(kind, safe, args.seconds, args.connections, workdir,
                                                 base_id=(n + 1) * 100_000_000)
    report(results, args)


def report(results: dict, args) -> None:
    print(f"gunicorn -w 2 -k {args.worker} --threads {args.threads}, wrk -t2 -c{args.connections} -d{args.seconds}s, loopback, text message, "
          f"Linli on {args.db} with the demo FAQ")
    print(f"{'scenario':<14}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}")
    for name, r in results.items():
        print(f"{name:<14}{r['rps']:>10.0f}{r['p50_ms']:>9.2f}{r['p99_ms']:>9.2f}{r['non_2xx']:>9}")
    for mode in ("plain", "safe"):
        ratio = results[f"linli/{mode}"]["rps"] / results[f"echo/{mode}"]["rps"]
        floor = results[f"record/{mode}"]["rps"] / results[f"echo/{mode}"]["rps"]
        results[f"ratio/{mode}"], results[f"record_ratio/{mode}"] = round(ratio, 3), round(floor, 3)
        print(f"linli/echo throughput ratio, {mode}: {ratio:.2f} (target >= 0.5; p99 target < 20 ms); "
              f"echo + one durable INSERT: {floor:.2f}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
