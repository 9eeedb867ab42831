"""``clock``, ``jobs list``, ``jobs run NAME`` and ``menu push``."""
from __future__ import annotations

import logging
import os
import signal
import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect, text

from bot import db
from bot.clock import runner
from bot.clock.lock import clock_lock
from bot.clock.registry import load_jobs
from bot.clock.scheduler import JOBS_TABLE, build_scheduler
from bot.wechat import menu as menus
from bot.wechat.api import WeChatApiError, get_api

STOP_POLL_S = 0.2  # how often the idle main thread looks for a stop signal


@click.command("clock")
@click.option("--wait", is_flag=True, help="If another clock runs, wait for its lock instead of exiting.")
@with_appcontext
def clock(wait: bool) -> None:
    """Run the scheduler process (one per deployment; a second one waits or exits)."""
    app = current_app._get_current_object()
    lock = clock_lock(app.config["LINLI"])
    if not lock.acquire(wait=wait):
        click.echo(f"另一个 clock 进程正在运行（{lock.description}），本进程不调度任何任务，退出。"
                   " (another clock holds the lock; use --wait to stand by)", err=True)
        sys.exit(1)
    stop: list[int] = []

    def on_signal(received: int, _frame) -> None:
        # Only note the signal: anything more (a scheduler shutdown) could wait for a lock that the
        # interrupted main thread holds, and then the clock never stops.  A second signal quits now.
        if stop:
            os._exit(128 + received)
        stop.append(received)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, on_signal)
    try:
        scheduler = build_scheduler(app)
        logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)  # a line per run is noise
        scheduler.start()
        click.echo(f"clock 已启动：{len(load_jobs())} 个任务（{lock.description}）")
        while not stop:
            time.sleep(STOP_POLL_S)
        click.echo("clock 正在停止：等待运行中的任务完成 (stopping: running jobs finish first)")
        scheduler.shutdown(wait=True)
    finally:
        lock.release()


@click.group("jobs")
def jobs() -> None:
    """Scheduled jobs: list them, or run one now."""


@jobs.command("list")
@with_appcontext
def list_jobs() -> None:
    """Every registered job with its schedule and, when the clock has run, its next run."""
    next_runs = stored_next_runs()
    for job in load_jobs().values():
        schedule = ", ".join(f"{k}={v}" for k, v in job.trigger_args.items())
        when = next_runs.get(job.name)
        when_text = click.style("未排程", dim=True) if when is None else f"next {when:%Y-%m-%d %H:%M:%S} UTC"
        click.echo(f"{job.name:<28} {job.trigger}[{schedule}]  {when_text}  {job.description}")


def stored_next_runs() -> dict:
    from datetime import datetime, timezone

    engine = db.engine()
    if JOBS_TABLE not in inspect(engine).get_table_names():
        return {}
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT id, next_run_time FROM {JOBS_TABLE}")).all()
    return {r.id: datetime.fromtimestamp(r.next_run_time, timezone.utc) for r in rows if r.next_run_time}


@jobs.command("run")
@click.argument("name")
@with_appcontext
def run_job(name: str) -> None:
    """Run job NAME now, in this process (it commits once, like a scheduled run)."""
    try:
        result = runner.run_job(current_app._get_current_object(), name)
    except runner.UnknownJob:
        raise click.ClickException(f"没有名为 {name} 的任务；可用：{', '.join(load_jobs())}") from None
    except Exception as exc:
        raise click.ClickException(f"任务 {name} 失败：{type(exc).__name__}: {exc}") from None
    click.echo(f"{name}: {result or 'done'}")


@click.group("menu")
def menu() -> None:
    """The official account's custom menu."""


@menu.command("push")
@with_appcontext
def push_menu() -> None:
    """Send the menu from config ([menu] buttons, or the default) to WeChat."""
    body = menus.build_menu(current_app.config["LINLI"])
    found = menus.problems(body)
    if found:
        raise click.ClickException("菜单配置有误：" + "；".join(found))
    try:
        get_api().create_menu(body)
    except WeChatApiError as exc:
        raise click.ClickException(f"微信接口拒绝了菜单：{exc.errcode} {exc.errmsg}") from None
    names = [b["name"] for b in body["button"]]
    click.echo("菜单已推送：" + " | ".join(names))


commands = [clock, jobs, menu]
