"""scripts/run and scripts/test: the README's two commands."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from bot import PROJECT_ROOT
from tests.fixtures.processes import wait_for_text
from tests.fixtures.services import free_port

SCRIPTS = PROJECT_ROOT / "scripts"


def script_env(**extra: str) -> dict[str, str]:
    venv = Path(sys.prefix)
    return {**os.environ, "LINLI_VENV": str(venv), "LINLI_SKIP_INSTALL": "1", **extra}


@pytest.mark.parametrize("name", ["run", "test", "lib.sh"])
def test_scripts_are_valid_bash(name):
    assert subprocess.run(["bash", "-n", str(SCRIPTS / name)]).returncode == 0


def test_ci_runs_the_readme_test_command():
    ci = (PROJECT_ROOT / ".ci" / "run").read_text()
    assert "set -euo pipefail" in ci and "exec scripts/test" in ci
    assert "`scripts/test`" in (PROJECT_ROOT / "README.md").read_text()
    assert os.access(SCRIPTS / "test", os.X_OK) and os.access(SCRIPTS / "run", os.X_OK)


def test_test_script_refuses_contradictory_options():
    done = subprocess.run([str(SCRIPTS / "test"), "--sqlite-only", "--pg-only"], env=script_env(),
                          capture_output=True, text=True, timeout=30)
    assert done.returncode != 0 and "exclude each other" in done.stderr


@pytest.mark.slow
def test_run_script_starts_everything_and_stops_it_all(tmp_path):
    """Ctrl-C ends in a prompt even when a process is stuck: here the clock, frozen, gets killed."""
    port, fake_port = free_port(), free_port()
    env = script_env(PORT=str(port), FAKE_WECHAT_PORT=str(fake_port), WEB_CONCURRENCY="1", LINLI_STOP_GRACE_S="10",
                     LINLI_DATABASE_URL=f"sqlite:///{tmp_path / 'linli.db'}",
                     LINLI_MEDIA_DIR=str(tmp_path / "media"), LINLI_CLOCK_LOCK_PATH=str(tmp_path / "clock.lock"))
    out = (tmp_path / "run.log").open("w")
    proc = subprocess.Popen([str(SCRIPTS / "run")], env=env, stdout=out, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 240  # a busy machine: imports, demo data, the workers' warm-up
        wait_for_text(proc, tmp_path / "run.log", "Ctrl-C stops everything", deadline)
        log = (tmp_path / "run.log").read_text()
        assert "演示小区" in log  # init-db --demo printed the demo data
        assert "demo_worker / Linli-worker-2024" in log and "户主 李桂兰" in log  # accounts and a household to bind
        assert f"http://127.0.0.1:{port}/dev/simulator/" in log
        assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10).json() == {"ok": True}
        assert requests.get(f"http://127.0.0.1:{fake_port}/_fake/calls", timeout=10).status_code == 200
        wait_for_text(proc, tmp_path / "run.log", "clock 已启动", deadline)  # its stop handler is in place
        clock = [pid for pid, args in children(proc.pid) if "clock" in args]
        assert len(clock) == 1
        # Deaf to the stop signal, like a clock stuck in a job.  (Before its handler is in place, a
        # stopped process would still die of SIGTERM's default action.)
        os.kill(clock[0], signal.SIGSTOP)
    finally:
        proc.send_signal(signal.SIGTERM)  # what Ctrl-C does through the script's trap
        proc.wait(timeout=30)  # LINLI_STOP_GRACE_S (10 s here) bounds it
        out.close()
    time.sleep(0.5)
    for listening in (port, fake_port):
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{listening}/", timeout=2)
    log = (tmp_path / "run.log").read_text()
    assert "clock still runs 10s after the stop signal: killing it" in log and "stopped" in log
    assert not Path(f"/proc/{clock[0]}").exists()


def children(parent: int) -> list[tuple[int, str]]:
    """(pid, command line) of the processes whose parent is ``parent``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if ppid == parent:
                found.append((int(stat.parent.name), (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()))
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
    return found
