"""``flask --app bot simulate``: the terminal chat, and what it shows of delivered messages."""
from __future__ import annotations

import bot.cli.simulate as simulate_mod
from tests.bot.test_simulator import push_custom_text

OPENID = "oSimCliResident01"


def test_say_lines_are_answered_in_process(wired_app):
    result = wired_app.test_cli_runner().invoke(args=["simulate", "--openid", OPENID, "--say", "你好",
                                                      "--say", "/click BIND", "--say", "/quit", "--say", "不会发送"])
    assert result.exit_code == 0, result.output
    replies = [line for line in result.output.splitlines() if line.startswith("邻里>")]
    assert len(replies) >= 2 and all(r.strip() != "邻里>" for r in replies)


def test_messages_delivered_through_the_fake_api_are_shown_after_a_send(wired_app, fake_wechat, monkeypatch):
    push_custom_text(fake_wechat.url, OPENID, "旧消息不再显示")
    real_run_line = simulate_mod.run_line

    def run_line_then_deliver(sim, openid, line):
        answer = real_run_line(sim, openid, line)
        push_custom_text(fake_wechat.url, openid, "您的报修已派单")  # as the delivery job would
        push_custom_text(fake_wechat.url, "oSomeoneElse", "别人的消息")
        return answer

    monkeypatch.setattr(simulate_mod, "run_line", run_line_then_deliver)
    result = wired_app.test_cli_runner().invoke(args=["simulate", "--openid", OPENID, "--say", "你好"])
    assert result.exit_code == 0, result.output
    assert "邻里[客服消息]> 您的报修已派单" in result.output
    assert "旧消息不再显示" not in result.output and "别人的消息" not in result.output


def test_unreachable_fake_api_is_said_once_and_chat_goes_on(make_app):
    from tests.fixtures.services import free_port

    app = make_app({"wechat": {"api_base_url": f"http://127.0.0.1:{free_port()}/"}})
    result = app.test_cli_runner().invoke(args=["simulate", "--openid", OPENID], input="你好\n/quit\n")
    assert result.exit_code == 0, result.output
    assert "模拟微信接口未连接" in result.output
    assert "邻里>" in result.output


def test_feed_waits_for_asynchronous_delivery(fake_wechat):
    feed = simulate_mod.DeliveredFeed(fake_wechat.url, OPENID)
    assert feed.reachable and feed.new_messages() == []
    push_custom_text(fake_wechat.url, OPENID, "稍后送达")
    assert [m["text"] for m in feed.new_messages(wait_s=1.0)] == ["稍后送达"]
    assert feed.new_messages() == []
