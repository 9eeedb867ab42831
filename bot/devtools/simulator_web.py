"""A development-only web page to chat as a resident: ``/dev/simulator/``.

The page posts to the endpoints below; they drive the real ``/wechat``
endpoint with a ``SimulatedWeChat`` (real signatures, encryption when
``wechat.encoding_aes_key`` is set) and read what the service delivered
through the fake WeChat API.  Registered only outside production (bot/web.py).
"""
from __future__ import annotations

import io
import re

import requests

from flask import Blueprint, current_app, jsonify, render_template, request

from bot.devtools import delivered, transport
from bot.devtools.media import upload_stream
from bot.devtools.wechat_client import SimulatedWeChat, reply_text
from bot.urls import parse_int
from bot.wechat.menu import build_menu

bp = Blueprint("simulator", __name__, url_prefix="/dev/simulator")

OPENID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_PHOTO_BYTES = 10 * 1024 * 1024


def menu_keys() -> list[tuple[str, str]]:
    """(CLICK key, label) of the account's own menu, so the simulator shows what residents see."""
    found = []
    for button in build_menu(current_app.config["LINLI"])["button"]:
        for leaf in button.get("sub_button") or [button]:
            if leaf.get("type") == "click":
                label = leaf["name"] if leaf is button else f"{button['name']} · {leaf['name']}"
                found.append((leaf["key"], label))
    return found


class BadRequest(ValueError):
    """The page sent something the simulator cannot turn into a message."""


def simulator() -> SimulatedWeChat:
    app = current_app._get_current_object()
    wx = app.config["LINLI"]["wechat"]
    return SimulatedWeChat(transport=transport.in_process(app), token=wx["token"], app_id=wx["app_id"],
                           account=wx["account_id"] or "gh_linli", encoding_aes_key=wx["encoding_aes_key"],
                           clock=app.extensions["linli.clock"])


def api_base_url() -> str:
    return current_app.config["LINLI"]["wechat"]["api_base_url"]


def checked_openid(raw) -> str:
    openid = str(raw or "").strip()
    if not OPENID.match(openid):
        raise BadRequest("openid 只能包含字母、数字、下划线和连字符（1–64 个字符）")
    return openid


def number(data: dict, key: str) -> float:
    try:
        return float(data[key])
    except (KeyError, TypeError, ValueError) as exc:
        raise BadRequest(f"{key} 必须是数字") from exc


def send_kind(sim: SimulatedWeChat, openid: str, data: dict):
    """Send the message the page described; returns (status, reply)."""
    kind = data.get("kind")
    text = str(data.get("text") or "")
    if kind in ("text", "voice") and not text.strip():
        raise BadRequest("消息不能为空")
    if kind == "text":
        return sim.text(openid, text)
    if kind == "voice":
        return sim.voice(openid, text)
    if kind == "location":
        return sim.location(openid, number(data, "lat"), number(data, "lng"), str(data.get("label") or ""))
    if kind == "click":
        key = str(data.get("key") or "")
        if key not in dict(menu_keys()):
            raise BadRequest("未知的菜单键")
        return sim.click(openid, key)
    if kind in ("subscribe", "scan"):
        scene = str(data.get("scene") or "").strip()
        if kind == "scan":
            return sim.event(openid, "SCAN", scene)
        return sim.event(openid, "subscribe", f"qrscene_{scene}" if scene else "")
    if kind == "unsubscribe":
        return sim.event(openid, "unsubscribe")
    raise BadRequest("未知的消息类型")


def answer(status: int, reply) -> dict:
    shown = reply_text(reply) if status == 200 else str(reply)
    if status == 200 and not shown and isinstance(reply, dict):
        shown = f"[{reply.get('MsgType', '?')}]"
    return {"status": status, "reply": shown, "passive": status == 200 and reply not in ("", "success")}


@bp.errorhandler(BadRequest)
def bad_request(exc: BadRequest):
    return jsonify(error=str(exc)), 400


@bp.get("/")
def page():
    return render_template("dev/simulator.html", menu=menu_keys(), api_base_url=api_base_url(),
                           encrypted=bool(current_app.config["LINLI"]["wechat"]["encoding_aes_key"]))


@bp.post("/send")
def send():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest("请求体必须是 JSON 对象")
    openid = checked_openid(data.get("openid"))
    status, reply = send_kind(simulator(), openid, data)
    return jsonify(answer(status, reply))


@bp.post("/photo")
def photo():
    openid = checked_openid(request.form.get("openid"))
    upload = request.files.get("photo")
    if upload is None or not upload.filename:
        raise BadRequest("请选择一张照片")
    content = upload.read(MAX_PHOTO_BYTES + 1)
    if len(content) > MAX_PHOTO_BYTES:
        raise BadRequest("照片不能超过 10 MB")
    try:
        media_id = upload_stream(api_base_url(), io.BytesIO(content), upload.filename,
                                 upload.mimetype or "image/jpeg")
    except (requests.RequestException, KeyError, ValueError):
        return jsonify(error="模拟微信接口不可用：请先启动 python -m fakewechat --port 5099"), 502
    status, reply = simulator().image(openid, media_id)
    return jsonify({**answer(status, reply), "media_id": media_id})


@bp.get("/delivered")
def delivered_messages():
    openid = checked_openid(request.args.get("openid"))
    found = delivered.fetch(api_base_url(), openid, parse_int(request.args.get("since"), maximum=2**62) or 0)
    return jsonify(messages=found.messages, next=found.next, reachable=found.reachable)
