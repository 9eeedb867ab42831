"""A whole Linli stack on loopback for the load and fault runs (bench/load, bench/faults).

A throwaway PostgreSQL cluster (initdb as the ``postgres`` user when run as
root, fsync off, a free port), the fake WeChat API, gunicorn serving
``bot:create_app()`` and the clock, all configured by one temporary
config.toml.  Every process is started here and stopped here, by its pid.

    with Stack(workdir, workers=4, config_extra={...}) as stack:
        stack.seed(...)
        ...  # stack.web_url, stack.fake_url, stack.sql("select ...")
"""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.pg import Postgres, alive, free_port, wait_port  # noqa: E402

TOKEN, APP_ID = "OldCommunityToken2024", "wx5e1a0c0ffee2024a"
ACCOUNT = "gh_0a1b2c3d4e5f"
VENV_BIN = Path(sys.executable).parent


def config_text(workdir: Path, db_url: str, fake_url: str, extra: dict | None) -> str:
    """config.toml for the stack: the repository's, with the stack's database, fake API and paths."""
    sections: dict[str, dict] = {
        "app": {"env": "development", "secret_key": "dev-bench-secret", "log_level": "WARNING",
                "public_base_url": "http://127.0.0.1:5000"},
        "database": {"url": db_url},
        "wechat": {"app_id": APP_ID, "app_secret": "dev-app-secret", "token": TOKEN, "encoding_aes_key": "",
                   "account_id": ACCOUNT, "api_base_url": fake_url, "api_timeout_s": 3.0},
        "media": {"dir": str(workdir / "media")},
        "clock": {"lock_path": str(workdir / "clock.lock")},
    }
    for section, values in (extra or {}).items():
        sections.setdefault(section, {}).update(values)
    lines = []
    for section, values in sections.items():
        nested = {k: v for k, v in values.items() if isinstance(v, dict)}
        lines.append(f"[{section}]")
        lines += [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in values.items() if k not in nested]
        for key, table in nested.items():
            lines.append(f"[{section}.{key}]")
            for k, v in table.items():
                inner = ", ".join(f"{ik} = {json.dumps(iv)}" for ik, iv in v.items()) if isinstance(v, dict) else None
                lines.append(f'"{k}" = {{ {inner} }}' if inner is not None else f"{k} = {json.dumps(v)}")
    return "\n".join(lines) + "\n"


# Run in a subprocess with the stack's configuration (HOUSEHOLDS and WALKERS are prepended).
SEED_CODE = """
import json, sys
from datetime import timedelta
from bot import create_app
from bot import db
from models import Binding, Building, Community, Household, Resident
from models.base import utcnow
from surveys import runs, samples
app = create_app()
with app.app_context():
    s = db.session()
    now = utcnow()
    c = Community(name="压测小区", code="LOAD001", district="新华区")
    s.add(c); s.flush()
    b = Building(community_id=c.id, name="1号楼", sort_key=0); s.add(b); s.flush()
    hs = []
    for i in range(HOUSEHOLDS):
        h = Household(community_id=c.id, building_id=b.id, unit=str(1 + i // 100), room=str(101 + i % 100),
                      status="occupied", owner_name=f"住户{i}", phone=f"139{i:08d}")
        s.add(h); hs.append(h)
    s.flush()
    openids = []
    for i in range(WALKERS):
        r = Resident(openid=f"oLoadWalker{i:05d}", community_id=c.id, subscribed_at=now, created_at=now,
                     last_interaction_at=now)
        s.add(r); s.flush()
        s.add(Binding(resident_id=r.id, household_id=hs[i].id, role="owner", verified_by="roster",
                      verified_at=now, created_at=now))
        openids.append(r.openid)
    s.flush()
    willingness = next(t for t in samples.load_samples(session=s) if t.phase == "willingness")
    run = runs.publish(willingness.id, c.id, session=s, now=now, closes_at=now + timedelta(days=30), actor="bench")
    s.commit()
    print(json.dumps({"community_id": c.id, "run_id": run.id, "walkers": openids}))
"""


class Stack:
    def __init__(self, workdir: Path, *, workers: int = 4, config_extra: dict | None = None,
                 log_dir: Path | None = None):
        self.workdir = Path(workdir)
        self.workers = workers
        self.config_extra = config_extra or {}
        self.log_dir = log_dir or self.workdir / "logs"
        self.pg = Postgres(self.workdir)
        self.web_port, self.fake_port = free_port(), free_port()
        self.web: subprocess.Popen | None = None
        self.fake: subprocess.Popen | None = None
        self.clock: subprocess.Popen | None = None
        self.config_path = self.workdir / "config.toml"
        self._db: psycopg.Connection | None = None
        self.clock_paused = False  # a fault took the clock away on purpose
        self.clock_exits: list[str] = []  # unexpected exits, restarted as a supervisor (systemd) would
        self._stopping = threading.Event()

    # ------------------------------------------------------------------ life
    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def fake_url(self) -> str:
        return f"http://127.0.0.1:{self.fake_port}/"

    @property
    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LINLI_")}
        env["LINLI_CONFIG"] = str(self.config_path)
        return env

    def __enter__(self) -> "Stack":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.pg.init()
        self.config_path.write_text(config_text(self.workdir, self.pg.url, self.fake_url, self.config_extra))
        subprocess.run([str(VENV_BIN / "flask"), "--app", "bot", "init-db"], env=self.env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        self.start_fake()
        self.start_web()
        self.start_clock()
        threading.Thread(target=self._supervise_clock, daemon=True, name="clock-supervisor").start()

    def _supervise_clock(self) -> None:
        """Restart the clock when it exits by itself (e.g. it cannot reach PostgreSQL at start-up),
        as the deployment's supervisor does (Restart=always); each exit is recorded."""
        while not self._stopping.wait(1.0):
            proc = self.clock
            if self.clock_paused or proc is None or proc.poll() is None:
                continue
            tail = (self.log_dir / "clock.log").read_text(errors="replace").strip().splitlines()[-1:]
            self.clock_exits.append(f"exit {proc.returncode}: {tail[0][:160] if tail else ''}")
            self._stopping.wait(2.0)
            if not self._stopping.is_set() and not self.clock_paused:
                self.start_clock()

    def _spawn(self, name: str, argv: list[str]) -> subprocess.Popen:
        out = open(self.log_dir / f"{name}.log", "ab")
        return subprocess.Popen(argv, env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)

    def start_fake(self) -> None:
        self.fake = self._spawn("fakewechat", [sys.executable, "-m", "fakewechat", "--port", str(self.fake_port)])
        if not wait_port(self.fake_port, 20):
            raise RuntimeError("the fake WeChat API did not start")

    def start_web(self) -> None:
        """Start gunicorn; return once a worker answers (under load the answer may take a while)."""
        self.web = self._spawn("web", [str(VENV_BIN / "gunicorn"), "--workers", str(self.workers), "--bind",
                                       f"127.0.0.1:{self.web_port}", "--timeout", "30", "--graceful-timeout", "5",
                                       "--backlog", "2048", "bot:create_app()"])
        limit = time.monotonic() + 120
        while time.monotonic() < limit and self.web.poll() is None:
            try:
                if requests.get(self.web_url + "/wechat", timeout=10).status_code == 403:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not start (see web.log)")

    def start_clock(self) -> None:
        self.clock = self._spawn("clock", [str(VENV_BIN / "flask"), "--app", "bot", "clock", "--wait"])

    def web_workers(self) -> list[int]:
        """The gunicorn master's current worker pids."""
        path = Path(f"/proc/{self.web.pid}/task/{self.web.pid}/children")
        try:
            return [int(p) for p in path.read_text().split()]
        except OSError:
            return []

    def kill9(self, proc: subprocess.Popen | None) -> None:
        if proc is not None and proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def kill_worker(self) -> int | None:
        workers = self.web_workers()
        if not workers:
            return None
        os.kill(workers[0], signal.SIGKILL)
        return workers[0]

    def kill_master_and_restart(self) -> None:
        """kill -9 the master; its orphaned workers notice (ppid changes) and exit; start a new one."""
        orphans = self.web_workers()
        self.kill9(self.web)
        limit = time.monotonic() + 15
        while time.monotonic() < limit and any(alive(pid) for pid in orphans):
            time.sleep(0.1)
        for pid in orphans:  # still alive after 15 s: they are ours, end them
            if alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:  # it exited meanwhile
                    pass
        self.start_web()

    def stop(self) -> None:
        self._stopping.set()
        if self._db is not None:
            self._db.close()
            self._db = None
        for proc in (self.clock, self.web, self.fake):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in (self.clock, self.web, self.fake):
            if proc is None:
                continue
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.pg.stop()

    # ------------------------------------------------------------- fake API
    def fake_control(self, name: str, body: dict | None = None) -> dict:
        resp = requests.post(self.fake_url + "_fake/" + name, json=body or {}, timeout=10)
        resp.raise_for_status()
        return resp.json()

    def fake_calls(self, path: str | None = None) -> list[dict]:
        params = {"since": 0}
        if path:
            params["path"] = path
        return requests.get(self.fake_url + "_fake/calls", params=params, timeout=60).json()["calls"]

    def upload_media(self, count: int) -> list[str]:
        """``count`` small JPEG photos in the fake API; their MediaIds."""
        from PIL import Image

        ids, session = [], requests.Session()
        for i in range(count):
            buffer = io.BytesIO()
            Image.new("RGB", (64, 48), ((i * 37) % 256, (i * 91) % 256, 120)).save(buffer, "JPEG")
            resp = session.post(self.fake_url + "_fake/media", files={"media": ("p.jpg", buffer.getvalue(),
                                                                                "image/jpeg")}, timeout=10)
            ids.append(resp.json()["media_id"])
        return ids

    # --------------------------------------------------------------- data
    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        for attempt in range(20):
            try:
                if self._db is None or self._db.closed:
                    self._db = psycopg.connect(self.pg.dsn, autocommit=True)
                return self._db.execute(query, params).fetchall()
            except psycopg.OperationalError:
                self._db = None
                time.sleep(0.5)
        raise RuntimeError("the database does not answer")

    def seed(self, *, households: int, walkers: int) -> dict:
        """One community with ``households`` households, ``walkers`` residents bound to them and the
        willingness survey open: {"community_id", "run_id", "walkers": [openid, ...]}."""
        code = f"HOUSEHOLDS, WALKERS = {max(households, walkers)}, {walkers}\n" + SEED_CODE
        out = subprocess.run([sys.executable, "-c", code], env=self.env, cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
        return json.loads(out.strip().splitlines()[-1])
