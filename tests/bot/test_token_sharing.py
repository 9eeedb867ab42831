"""Six processes, each with its own app on one database, share one access token:
one token request per expiry, not six (the file store on SQLite, the row lock on
PostgreSQL, and Redis when configured)."""
from __future__ import annotations

import multiprocessing

import pytest

from bot import PROJECT_ROOT
from tests.fixtures.fakewechat import APP_SECRET

PROCESSES = 6
PHASES = 3


def worker(overrides: dict, barrier, index: int) -> None:
    from bot import create_app
    from bot.wechat.api import get_api

    app = create_app(overrides)
    with app.app_context():
        api = get_api()
        for _ in range(PHASES):
            barrier.wait(timeout=60)  # everyone sends at once...
            api.send_custom(f"o{index}", {"text": "通知"})
            barrier.wait(timeout=60)  # ...then the parent expires the token


def run_processes(overrides: dict, fake) -> None:
    ctx = multiprocessing.get_context("fork")  # the app is imported already: fast starts
    barrier = ctx.Barrier(PROCESSES + 1)
    procs = [ctx.Process(target=worker, args=(overrides, barrier, i)) for i in range(PROCESSES)]
    for proc in procs:
        proc.start()
    try:
        for _ in range(PHASES):
            barrier.wait(timeout=120)
            barrier.wait(timeout=60)
            fake.expire_tokens()
    finally:
        for proc in procs:
            proc.join(timeout=30)
    assert [p.exitcode for p in procs] == [0] * PROCESSES


@pytest.fixture
def shared_overrides(make_app, database_url, fake_wechat, tmp_path):
    def build(**extra):
        overrides = {"config_path": str(PROJECT_ROOT / "config.toml"), "app": {"env": "testing"},
                     "database": {"url": database_url}, "media": {"dir": str(tmp_path / "media")},
                     "wechat": {"api_base_url": fake_wechat.url, "app_secret": APP_SECRET}, **extra}
        make_app({k: v for k, v in overrides.items() if k != "config_path"})  # creates the schema
        return overrides
    return build


def test_six_processes_one_token_request_per_expiry(shared_overrides, fake_wechat):
    run_processes(shared_overrides(), fake_wechat)
    sends = fake_wechat.calls_to("custom/send")
    assert sum(c["errcode"] == 0 for c in sends) == PROCESSES * PHASES
    assert len(fake_wechat.calls_to("cgi-bin/token")) == PHASES


def test_six_processes_share_the_token_through_redis(shared_overrides, fake_wechat, redis_url):
    run_processes(shared_overrides(redis={"url": redis_url}), fake_wechat)
    assert sum(c["errcode"] == 0 for c in fake_wechat.calls_to("custom/send")) == PROCESSES * PHASES
    assert len(fake_wechat.calls_to("cgi-bin/token")) == PHASES
