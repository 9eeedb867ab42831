"""The clock: one at a time (file or Redis lock), jobs in the database, operators' commands."""
from __future__ import annotations

import signal
import threading
import time

import redis as redis_lib
from sqlmodel import Session, select

import pytest

from bot.clock.lock import FileClockLock, RedisClockLock, clock_lock
from bot.clock.registry import load_jobs
from bot.clock.scheduler import build_scheduler
from models.outbound import DailyFigures
from tests.fixtures.processes import start_clock, wait_for, wait_for_text


def test_file_lock_keeps_a_second_clock_out(tmp_path):
    first, second = FileClockLock(str(tmp_path / "clock.lock")), FileClockLock(str(tmp_path / "clock.lock"))
    assert first.acquire(wait=False)
    assert not second.acquire(wait=False)
    first.release()
    assert second.acquire(wait=False)
    second.release()


def test_redis_lock_keeps_a_second_clock_out_and_notices_a_loss(redis_url):
    client = redis_lib.Redis.from_url(redis_url)
    lost = threading.Event()
    first = RedisClockLock(client, ttl_s=0.3, on_lost=lost.set)
    second = RedisClockLock(client, ttl_s=0.3)
    assert first.acquire(wait=False)
    time.sleep(0.5)  # longer than the TTL: the heartbeat keeps it
    assert not second.acquire(wait=False)
    client.delete("linli:clock:lock")
    assert lost.wait(2)
    first.release()
    assert second.acquire(wait=False)
    second.release()


def test_second_clock_command_exits_with_a_clear_message(wired_app):
    held = clock_lock(wired_app.config["LINLI"])  # the very lock the command will try
    assert held.acquire(wait=False)
    try:
        result = wired_app.test_cli_runner().invoke(args=["clock"])
    finally:
        held.release()
    assert result.exit_code == 1
    assert "另一个 clock 进程正在运行" in result.output


def test_scheduler_keeps_jobs_in_the_database_and_runs_them(make_app, fake_wechat, outbox, clock):
    app = make_app({"wechat": {"api_base_url": fake_wechat.url},
                    "clock": {"schedules": {"outbox.deliver": {"seconds": 1}}}})
    outbox.resident("oA")
    outbox.queue("oA", "定时投递")
    for round_ in range(2):  # a restart replaces the stored jobs instead of adding copies
        scheduler = build_scheduler(app)
        scheduler.start()  # in its own thread
        deadline = time.monotonic() + 10
        while round_ == 0 and not outbox.sent_texts() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.2)
        stored = {job.id: job for job in scheduler.get_jobs()}
        scheduler.shutdown(wait=True)
    assert set(stored) == set(load_jobs())
    assert stored["outbox.deliver"].coalesce and stored["outbox.deliver"].max_instances == 1
    assert stored["figures.daily_snapshot"].misfire_grace_time == 3600
    assert outbox.sent_texts() == ["定时投递"]


def test_jobs_list_and_run(wired_app):
    runner = wired_app.test_cli_runner()
    listed = runner.invoke(args=["jobs", "list"])
    assert listed.exit_code == 0
    for name in ("outbox.deliver", "wechat.refresh_token", "figures.daily_snapshot"):
        assert name in listed.output
    for _ in range(2):  # idempotent: one row a day
        result = runner.invoke(args=["jobs", "run", "figures.daily_snapshot"])
        assert result.exit_code == 0, result.output
    with Session(wired_app.extensions["linli.engine"]) as session:
        assert len(session.exec(select(DailyFigures)).all()) == 1
    missing = runner.invoke(args=["jobs", "run", "no.such.job"])
    assert missing.exit_code != 0 and "没有名为 no.such.job 的任务" in missing.output


def test_refresh_token_job_refreshes_only_when_due(wired_app, fake_wechat):
    runner = wired_app.test_cli_runner()
    for _ in range(2):
        assert runner.invoke(args=["jobs", "run", "wechat.refresh_token"]).exit_code == 0
    assert len(fake_wechat.calls_to("cgi-bin/token")) == 1


def test_menu_push_sends_the_default_menu(wired_app, fake_wechat):
    result = wired_app.test_cli_runner().invoke(args=["menu", "push"])
    assert result.exit_code == 0, result.output
    keys = [b.get("key") for b in fake_wechat.menu["button"]] + [
        s["key"] for b in fake_wechat.menu["button"] for s in b.get("sub_button", [])]
    assert {"FAQ", "SURVEY", "COMPLAINT", "MY_COMPLAINTS", "BIND"} <= set(keys)


def test_menu_push_refuses_a_bad_menu(make_app, fake_wechat):
    app = make_app({"wechat": {"api_base_url": fake_wechat.url},
                    "menu": {"buttons": [{"type": "click", "name": "一个名字实在太长的菜单"}]}})
    result = app.test_cli_runner().invoke(args=["menu", "push"])
    assert result.exit_code != 0 and "菜单配置有误" in result.output
    assert fake_wechat.calls_to("menu/create") == []


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_clock_process_stops_on_a_signal_and_frees_its_lock(outbox, fake_wechat, database_url, tmp_path, signum):
    outbox.resident("oA")
    outbox.queue("oA", "停止前投递")
    lock_path, log_path = tmp_path / "clock.lock", tmp_path / "clock.log"
    proc = start_clock(log_path, LINLI_DATABASE_URL=database_url, LINLI_WECHAT_API_BASE_URL=fake_wechat.url,
                       LINLI_CLOCK_LOCK_PATH=str(lock_path), LINLI_REDIS_URL="")
    try:
        wait_for_text(proc, log_path, "clock 已启动", time.monotonic() + 60)
        # the clock's jobs run (outbox.deliver every 3 s, others every second)
        wait_for(outbox.sent_texts, 30, "the queued message to be delivered")
        assert outbox.sent_texts() == ["停止前投递"]
        proc.send_signal(signum)
        assert proc.wait(timeout=20) == 0, log_path.read_text()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "clock 正在停止" in log_path.read_text()
    second = FileClockLock(str(lock_path))
    assert second.acquire(wait=False)
    second.release()
