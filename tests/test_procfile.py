"""The Procfile's processes start the app the way a platform would."""
from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from bot import PROJECT_ROOT
from tests.fixtures.services import free_port


def procfile() -> dict[str, str]:
    lines = (PROJECT_ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(":", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_procfile_declares_web_and_clock():
    processes = {name: cmd.strip() for name, cmd in procfile().items()}
    assert set(processes) == {"web", "clock"}
    assert processes["web"].startswith("gunicorn ") and '"bot:create_app()"' in processes["web"]
    assert "${PORT" in processes["web"]
    assert shlex.split(processes["clock"]) == ["flask", "--app", "bot", "clock"]


def test_procfile_commands_exist(app):
    assert "clock" in app.cli.commands  # the Procfile's clock process


def test_web_process_serves_healthz_under_gunicorn(tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text((PROJECT_ROOT / "config.toml").read_text(encoding="utf-8")
                      .replace('url = "sqlite:///instance/linli.db"', 'url = "sqlite:///linli.db"'),
                      encoding="utf-8")
    port = free_port()
    # As the platform runs it, but on loopback only.
    command = procfile()["web"].strip().replace("0.0.0.0", "127.0.0.1")
    env = {**os.environ, "PORT": str(port), "WEB_CONCURRENCY": "1", "LINLI_CONFIG": str(config),
           "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    proc = subprocess.Popen(["sh", "-c", "exec " + command], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        # create_app() warms before the worker takes a request: seconds, a minute on a busy machine.
        deadline, answer = time.monotonic() + 240, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except (requests.ConnectionError, requests.Timeout):  # booting: the socket is open first
                time.sleep(0.2)
        assert answer is not None, "gunicorn did not answer: " + (proc.stdout.read().decode() if proc.poll() else "")
        assert answer.status_code == 200 and answer.json() == {"ok": True}
        assert answer.headers["X-Frame-Options"] == "DENY"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
