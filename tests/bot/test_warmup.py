"""Warm before traffic, whatever serves the app; ready only when warm; no SQLite lock held while warming."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time

import requests
from sqlmodel import Session, select

from bot import PROJECT_ROOT, warmup
from bot.devtools import transport
from bot.devtools.wechat_client import SimulatedWeChat
from handlers.faq import demo as faq_demo
from handlers.faq import sentence
from models import FaqEntry

# A plain WSGI server from the standard library, in another working directory, without gunicorn.conf.py.
SERVE = textwrap.dedent("""
    import sys
    from wsgiref.simple_server import WSGIRequestHandler, make_server
    from bot import create_app

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    app = create_app()
    server = make_server("127.0.0.1", 0, app, handler_class=Quiet)
    print(server.server_port, flush=True)
    server.serve_forever()
""")


def load_sample_faq(app) -> FaqEntry:
    with Session(app.extensions["linli.engine"]) as session:
        faq_demo.load(session=session)
        session.commit()
        entry = session.exec(select(FaqEntry).where(FaqEntry.active == True).order_by(FaqEntry.id)).first()  # noqa
        session.expunge(entry)
    return entry


def test_a_plain_wsgi_server_answers_its_first_faq_question_within_the_reply_budget(make_app, database_url,
                                                                                    tmp_path):
    entry = load_sample_faq(make_app())
    env = {**os.environ, "LINLI_CONFIG": str(PROJECT_ROOT / "config.toml"), "LINLI_DATABASE_URL": database_url,
           "LINLI_MEDIA_DIR": str(tmp_path / "media"), "LINLI_APP_ENV": "development",
           "PYTHONPATH": str(PROJECT_ROOT)}
    server = subprocess.Popen([sys.executable, "-c", SERVE], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        port = server.stdout.readline().strip()  # printed once create_app() returned: warm by then
        assert port.isdigit(), "the server did not start"
        base = f"http://127.0.0.1:{port}"
        assert requests.get(base + "/readyz", timeout=10).json()["ready"] is True
        wx = SimulatedWeChat(transport=transport.over_http(base), token="OldCommunityToken2024",
                             app_id="wx5e1a0c0ffee2024a")
        started = time.monotonic()
        status, reply = wx.text("oFirstQuestion", entry.question)
        took = time.monotonic() - started
        assert status == 200 and isinstance(reply, dict), reply  # a passive reply, not "success" + outbox
        assert reply["Content"].startswith(entry.answer[:20])
        assert took < 4.0  # wechat.reply_budget_s
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def test_readyz_says_not_ready_until_warm_and_asking_starts_the_warm_up(make_app):
    app = make_app()  # tests: warm_up "auto" means off
    assert warmup.state_of(app).mode == "off"
    client = app.test_client()
    first = client.get("/readyz")
    assert first.status_code == 503 and first.get_json()["ready"] is False
    assert client.get("/healthz").status_code == 200  # alive all along
    assert warmup.state_of(app).ready.wait(timeout=600)
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["ready"] is True
    assert set(warmup.state_of(app).steps) == set(warmup.STEPS)


def test_background_mode_warms_without_being_asked(make_app):
    app = make_app({"app": {"warm_up": "background"}})
    assert warmup.state_of(app).ready.wait(timeout=600)


def test_warming_holds_no_sqlite_lock_while_the_faq_index_is_computed(make_app, tmp_path):
    """The cause of "warm-up failed … database is locked": the index was computed inside a
    transaction, which on SQLite (BEGIN IMMEDIATE) holds the write lock for every other worker."""
    path = tmp_path / "warm.db"
    app = make_app({"database": {"url": f"sqlite:///{path}"}})
    load_sample_faq(app)
    sentence.forget()  # the encoder really runs over every entry, as in a fresh worker
    worker = threading.Thread(target=warmup.warm, args=(app,))
    other = sqlite3.connect(path, timeout=0.5, isolation_level=None)  # another worker's connection
    waits, refused = [], 0
    worker.start()
    while worker.is_alive():
        started = time.monotonic()
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
        except sqlite3.OperationalError:  # database is locked
            refused += 1
        waits.append(time.monotonic() - started)
        time.sleep(0.05)
    other.close()
    state = warmup.state_of(app)
    assert state.ready.is_set() and not state.error
    index_start, index_end = state.steps["faq_index"]
    assert index_end - index_start > 0.5  # long enough that a held lock would have shown
    assert refused == 0 and max(waits) < 0.5
