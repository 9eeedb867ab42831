"""``/_fake/...``: drive the fake over HTTP from another process (simulator, benchmarks).

    GET  /_fake/calls?since=N&path=SUFFIX   -> {"calls": [...], "next": N}
    POST /_fake/media      multipart "media" -> {"media_id": ...}
    POST /_fake/oauth_code {"code", "openid"}
    POST /_fake/fail       {"path", "errcode", "times"}
    POST /_fake/delay      {"seconds"}
    POST /_fake/down       {"seconds"}  (503 until then; 0 or absent: until /_fake/up)
    POST /_fake/up
    POST /_fake/expire_tokens
    POST /_fake/outside_window {"openid"}
    POST /_fake/rate       {"per_s"}  (45009 above it; null: unlimited)
    POST /_fake/reset
"""
from __future__ import annotations

import json
from typing import Any, Callable

from werkzeug.wrappers import Request, Response

from fakewechat.state import State


def _json(request: Request) -> dict[str, Any]:
    try:
        data = json.loads(request.get_data() or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def calls(state: State, request: Request) -> dict:
    since = int(request.args.get("since", 0))
    found = state.calls_since(since, request.args.get("path") or None)
    return {"calls": found, "next": since + len(state.calls_since(since))}


def media(state: State, request: Request) -> dict:
    upload = request.files.get("media")
    if upload is None:
        return {"error": "multipart field 'media' missing"}
    return {"media_id": state.add_media(upload.read(), upload.mimetype or "application/octet-stream")}


def oauth_code(state: State, request: Request) -> dict:
    data = _json(request)
    state.add_oauth_code(str(data["code"]), str(data["openid"]))
    return {"ok": True}


def fail(state: State, request: Request) -> dict:
    data = _json(request)
    state.fail(str(data["path"]), int(data["errcode"]), int(data.get("times", 1)))
    return {"ok": True}


def delay(state: State, request: Request) -> dict:
    state.delay_s = float(_json(request).get("seconds", 0))
    return {"ok": True}


def down(state: State, request: Request) -> dict:
    state.set_down(float(_json(request).get("seconds") or 0))
    return {"ok": True}


def up(state: State, _request: Request) -> dict:
    state.set_up()
    return {"ok": True}


def expire_tokens(state: State, _request: Request) -> dict:
    state.expire_tokens()
    return {"ok": True}


def outside_window(state: State, request: Request) -> dict:
    with state.lock:
        state.outside.add(str(_json(request)["openid"]))
    return {"ok": True}


def rate(state: State, request: Request) -> dict:
    per_s = _json(request).get("per_s")
    state.rate_per_s = float(per_s) if per_s else None
    return {"ok": True}


def reset(state: State, _request: Request) -> dict:
    state.reset()
    return {"ok": True}


ROUTES: dict[str, Callable[[State, Request], dict]] = {
    "calls": calls, "media": media, "oauth_code": oauth_code, "fail": fail, "delay": delay, "down": down,
    "up": up, "expire_tokens": expire_tokens, "outside_window": outside_window, "rate": rate, "reset": reset,
}


def handle(state: State, request: Request) -> Response:
    name = request.path[len("/_fake/"):].strip("/")
    handler = ROUTES.get(name)
    if handler is None:
        return Response(json.dumps({"error": "unknown control " + name}), status=404, content_type="application/json")
    if name != "calls" and request.method != "POST":
        return Response(json.dumps({"error": "use POST"}), status=405, content_type="application/json")
    try:
        body = handler(state, request)
    except (KeyError, TypeError, ValueError) as exc:
        return Response(json.dumps({"error": f"bad request: {exc}"}), status=400, content_type="application/json")
    status = 400 if "error" in body else 200
    return Response(json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")
