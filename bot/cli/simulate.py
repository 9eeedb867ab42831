"""``simulate``: chat with the account as a resident, through the real ``/wechat``.

Lines starting with ``/`` are commands: ``/photo FILE``, ``/location LAT LNG [label]``,
``/click KEY``, ``/subscribe [scene]``, ``/quit``; anything else is sent as text.
Without ``--url`` the messages go through the app in-process (same code path,
real signatures); with ``--url`` to a running server over HTTP.  After each
message, what the service delivered to this resident through the (fake)
WeChat API is shown too, when the fake API at ``wechat.api_base_url`` answers.
"""
from __future__ import annotations

import shlex
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from bot import warmup
from bot.devtools import delivered, transport
from bot.devtools.wechat_client import SimulatedWeChat, reply_text


def make_transport(url: str | None):
    if url:
        return transport.over_http(url)
    app = current_app._get_current_object()
    warmup.start_background(app)  # a command is not warmed by create_app(); warm while the resident types
    return transport.in_process(app)


def simulator(url: str | None) -> SimulatedWeChat:
    wx = current_app.config["LINLI"]["wechat"]
    return SimulatedWeChat(transport=make_transport(url), token=wx["token"], app_id=wx["app_id"],
                           account=wx["account_id"] or "gh_linli", encoding_aes_key=wx["encoding_aes_key"])


def run_line(sim: SimulatedWeChat, openid: str, line: str):
    if not line.startswith("/"):
        return sim.text(openid, line)
    words = shlex.split(line[1:])
    cmd, args = (words[0].lower(), words[1:]) if words else ("", [])
    if cmd == "photo" and args:
        from bot.devtools.media import upload_to_fake_api

        media_id = upload_to_fake_api(current_app.config["LINLI"]["wechat"]["api_base_url"], args[0])
        return sim.image(openid, media_id)
    if cmd == "location" and len(args) >= 2:
        return sim.location(openid, float(args[0]), float(args[1]), " ".join(args[2:]))
    if cmd == "click" and args:
        return sim.click(openid, args[0].upper())
    if cmd == "subscribe":
        return sim.event(openid, "subscribe", f"qrscene_{args[0]}" if args else "")
    if cmd == "voice" and args:
        return sim.voice(openid, " ".join(args))
    raise click.UsageError("commands: /photo FILE, /location LAT LNG [label], /click KEY, /subscribe [scene], "
                           "/voice TEXT, /quit")


class DeliveredFeed:
    """Messages sent to one resident through the fake API, each shown once."""

    def __init__(self, api_base_url: str, openid: str):
        self.api_base_url, self.openid = api_base_url, openid
        first = delivered.fetch(api_base_url, openid, 0)
        self.reachable, self.since = first.reachable, first.next  # older sends are history

    def new_messages(self, wait_s: float = 0.0) -> list[dict]:
        """New sends; waits up to ``wait_s`` for the first one (delivery is asynchronous)."""
        deadline = time.monotonic() + wait_s
        while True:
            found = delivered.fetch(self.api_base_url, self.openid, self.since)
            self.reachable = found.reachable
            self.since = found.next
            if found.messages or not found.reachable or time.monotonic() >= deadline:
                return found.messages
            time.sleep(0.25)


def show_delivered(feed: DeliveredFeed | None, wait_s: float) -> None:
    if feed is None:
        return
    for message in feed.new_messages(wait_s):
        label = "模板消息" if message["kind"] == "template" else "客服消息"
        click.echo(f"邻里[{label}]> {message['text']}")


@click.command("simulate")
@click.option("--openid", default="oSimulatedResident0001", show_default=True, help="The resident you play.")
@click.option("--url", default=None, help="A running server (e.g. http://127.0.0.1:5000); default: in-process.")
@click.option("--say", "lines", multiple=True, help="Send these lines and exit (non-interactive).")
@click.option("--wait", "wait_s", default=2.0, show_default=True,
              help="Seconds to wait for delivered messages after a reply of 'success'.")
@with_appcontext
def simulate(openid: str, url: str | None, lines: tuple[str, ...], wait_s: float) -> None:
    """Chat with the account as a resident."""
    sim = simulator(url)
    feed = DeliveredFeed(current_app.config["LINLI"]["wechat"]["api_base_url"], openid)
    if not lines:
        click.echo("邻里模拟器：输入消息发送；/photo 文件 /location 纬度 经度 /click 菜单键 /voice 语音文字 /quit 退出")
        if not feed.reachable:
            click.echo("（模拟微信接口未连接，客服消息不会显示：python -m fakewechat --port 5099）")
    source = iter(lines) if lines else iter(lambda: click.prompt("居民", prompt_suffix="> "), None)
    for line in source:
        if line.strip() in ("/quit", "/exit"):
            break
        try:
            status, reply = run_line(sim, openid, line)
        except click.UsageError as exc:
            click.echo(str(exc))
            continue
        shown = reply_text(reply) if status == 200 else f"[{status}] {reply}"
        click.echo(f"邻里> {shown or '(已收到，稍后回复)'}")
        show_delivered(feed if feed.reachable else None, wait_s if status == 200 and not shown else 0.0)


commands = [simulate]
