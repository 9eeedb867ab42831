"""bench/faults/run.py --short: faults under load, then nothing acknowledged lost or duplicated.

Starts its own stack (a throwaway PostgreSQL cluster, the fake WeChat API,
gunicorn, the clock) on loopback; about a minute.  See docs/LOAD.md.
"""
import json
import subprocess
import sys

import pytest

from bot import PROJECT_ROOT


@pytest.mark.slow
def test_faults_short_mode_loses_nothing(tmp_path):
    out = tmp_path / "faults.json"
    done = subprocess.run([sys.executable, str(PROJECT_ROOT / "bench" / "faults" / "run.py"), "--short",
                           "--out", str(out)], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=420)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(out.read_text())
    checks = report["checks"]
    assert report["problems"] == []
    assert checks["acknowledged"] > 50 and checks["photos_acknowledged"] > 0
    assert checks["acknowledged_lost"] == checks["inbound_duplicates"] == 0
    assert checks["photos_lost"] == checks["photos_duplicated"] == checks["complaints_duplicated"] == 0
    assert checks["ballots_lost"] == checks["ballots_duplicated"] == checks["ballots_incomplete"] == 0
    assert set(checks["outbox"]) == {"sent"} and checks["outbox_sent_not_seen_by_api"] == 0
    actions = " ".join(f["action"] for f in report["faults"])
    for fault in ("kill -9 web worker", "kill -9 clock", "PostgreSQL restarted", "fake WeChat API down"):
        assert fault in actions
