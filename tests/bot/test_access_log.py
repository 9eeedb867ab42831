"""Issue 17 item 11: bearer tokens stay out of gunicorn's access log.

gunicorn runs for real with the project's gunicorn.conf.py; the log format
names every atom that could carry a token (request line, path, query,
Referer, headers, environ).
"""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from bot import PROJECT_ROOT
from bot.accesslog import redact_query, redact_target
from tests.fixtures.services import free_port

SECRET = "Zq7BearerTokenForTheLogTest"
FORMAT = ('%(h)s "%(r)s" %(s)s U=%(U)s q=%(q)s f="%(f)s" key=%({x-api-key}i)s ref=%({referer}i)s '
          'cookie=%({cookie}i)s raw=%({raw_uri}e)s qs=%({query_string}e)s')
REQUESTS = [
    ("/h5/surveys/1", {"t": SECRET}, {}),
    ("/c/" + SECRET, {}, {}),
    ("/c/photo/" + SECRET, {"thumb": "1"}, {}),
    ("/open311/v2/requests.json", {"api_key": SECRET, "status": "open"}, {}),
    ("/open311/v2/services.json", {}, {"X-Api-Key": SECRET}),
    ("/static/app.css", {}, {"Referer": f"https://linli.example/h5/surveys/1?t={SECRET}",
                             "Cookie": f"session={SECRET}"}),
    ("/wechat", {"signature": SECRET, "timestamp": "1", "nonce": "2", "echostr": "e"}, {}),
]


def serve_and_log(tmp_path: Path) -> str:
    config = tmp_path / "config.toml"
    config.write_text((PROJECT_ROOT / "config.toml").read_text(encoding="utf-8")
                      .replace('url = "sqlite:///instance/linli.db"', 'url = "sqlite:///linli.db"'), encoding="utf-8")
    log, port = tmp_path / "access.log", free_port()
    env = {**os.environ, "LINLI_CONFIG": str(config), "PYTHONPATH": str(PROJECT_ROOT),
           "LINLI_COMPLAINTS_OPEN311_API_KEYS": SECRET}
    web = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", str(PROJECT_ROOT / "gunicorn.conf.py"),
                            "-w", "1", "-b", f"127.0.0.1:{port}", "--access-logfile", str(log),
                            "--access-logformat", FORMAT, "bot:create_app()"],
                           cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # the worker warms up first
        while True:
            if web.poll() is not None:
                raise AssertionError("gunicorn exited: " + web.stdout.read().decode(errors="replace")[-3000:])
            assert time.monotonic() < deadline, "gunicorn did not answer /healthz"
            try:
                if requests.get(base + "/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        for path, params, headers in REQUESTS:
            requests.get(base + path, params=params, headers=headers, timeout=30)
        time.sleep(0.5)
    finally:
        if web.poll() is None:
            os.killpg(web.pid, signal.SIGTERM)
            web.communicate(timeout=30)
    return log.read_text(encoding="utf-8")


def test_access_log_has_no_bearer_tokens(tmp_path):
    text = serve_and_log(tmp_path)
    lines = [line for line in text.splitlines() if "/healthz" not in line]
    assert len(lines) >= len(REQUESTS), text
    assert SECRET not in text, [line for line in lines if SECRET in line]
    assert '"GET /h5/surveys/1?t=- HTTP/1.1"' in text and "GET /c/photo/-?thumb=1 " in text
    assert "api_key=-&status=open" in text and "key=- " in text and "cookie=- " in text


def test_redaction_keeps_what_is_not_a_token():
    assert redact_target("/console/complaints/?state=submitted&page=2") == "/console/complaints/?state=submitted&page=2"
    assert redact_target("/c/") == "/c/" and redact_target("/console/c/x") == "/console/c/x"
    assert redact_query("T=x&msg_signature=y&nonce=3") == "T=-&msg_signature=-&nonce=3"
    assert redact_target("https://linli.example") == "https://linli.example"


def test_open311_key_in_a_header_and_still_in_the_query(make_app):
    client = make_app({"complaints": {"open311_api_keys": ["k-open311-header"]}}).test_client()
    assert client.get("/open311/v2/services.json", headers={"X-Api-Key": "k-open311-header"}).status_code == 200
    assert client.get("/open311/v2/services.json", headers={"X-Api-Key": "wrong"}).status_code == 403
    assert client.get("/open311/v2/services.json", query_string={"api_key": "k-open311-header"}).status_code == 200


def test_development_server_request_log_has_no_tokens(live_server, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    requests.get(f"{live_server}/h5/surveys/1", params={"t": SECRET}, timeout=30)
    requests.get(f"{live_server}/c/{SECRET}", timeout=30)
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("/h5/surveys/1?t=- HTTP/1.1" in line for line in lines), lines
    assert any("GET /c/- HTTP/1.1" in line for line in lines), lines
    assert not any(SECRET in line for line in lines)
