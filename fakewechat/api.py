"""The WeChat API endpoints the service uses, in WeChat's shapes (a WSGI app).

``/_fake/...`` is handed to the control API (fakewechat.control); everything
else is answered here as WeChat would: JSON with ``errcode``/``errmsg``,
tokens checked on every call that needs one, every call recorded.
"""
from __future__ import annotations

import json
import secrets
import time
from typing import Any, Callable

from werkzeug.wrappers import Request, Response

from fakewechat import control
from fakewechat.state import ERRMSG, State

NEEDS_TOKEN = {"cgi-bin/message/custom/send", "cgi-bin/message/template/send", "cgi-bin/message/subscribe/bizsend",
               "cgi-bin/media/get",
               "cgi-bin/menu/create", "cgi-bin/menu/get"}
SEND_PATHS = {"cgi-bin/message/custom/send", "cgi-bin/message/template/send"}
HIDDEN_PARAMS = {"secret"}


def error(errcode: int) -> dict[str, Any]:
    return {"errcode": errcode, "errmsg": ERRMSG.get(errcode, "error")}


def json_body(request: Request) -> dict[str, Any] | None:
    try:
        data = json.loads(request.get_data() or b"null")
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def token(state: State, request: Request, _call: dict) -> dict:
    args = request.args
    if args.get("grant_type") != "client_credential":
        return error(40002)
    if args.get("appid") != state.app_id:
        return error(40013)
    if args.get("secret") != state.app_secret:
        return error(40125)
    access_token, ttl = state.issue_token()
    return {"access_token": access_token, "expires_in": ttl}


def stable_token(state: State, request: Request, _call: dict) -> dict:
    data = json_body(request) or {}
    if data.get("appid") != state.app_id:
        return error(40013)
    if data.get("secret") != state.app_secret:
        return error(40125)
    current = None if data.get("force_refresh") else state.current_token()
    if current is None:
        current, _ttl = state.issue_token()
    with state.lock:
        remaining = int(state.tokens[current] - time.time())
    return {"access_token": current, "expires_in": remaining}


def custom_send(state: State, request: Request, call: dict) -> dict:
    data = json_body(request)
    if not data or not data.get("touser") or not data.get("msgtype"):
        return error(47001)
    call["touser"] = data["touser"]
    if state.over_rate():
        return error(45009)
    with state.lock:
        outside = data["touser"] in state.outside
    return error(45015) if outside else error(0)


def template_send(state: State, request: Request, call: dict) -> dict:
    data = json_body(request)
    if not data or not data.get("touser") or not data.get("template_id"):
        return error(47001)
    call["touser"] = data["touser"]
    if state.over_rate():
        return error(45009)
    return {**error(0), "msgid": secrets.randbelow(10**12)}


def subscribe_send(state: State, request: Request, call: dict) -> dict:
    data = json_body(request)
    if not data or not data.get("touser") or not data.get("template_id") or not isinstance(data.get("data"), dict):
        return error(47003)
    call["touser"] = data["touser"]
    if state.over_rate():
        return error(45009)
    with state.lock:
        refused = data["touser"] in state.no_subscription
    return error(43101) if refused else error(0)


def media_get(state: State, request: Request, _call: dict) -> dict | Response:
    with state.lock:
        found = state.media.get(request.args.get("media_id", ""))
    if found is None:
        return error(40007)
    data, content_type = found
    return Response(data, content_type=content_type,
                    headers={"Content-Disposition": 'attachment; filename="media"'})


def menu_create(state: State, request: Request, _call: dict) -> dict:
    data = json_body(request)
    if not data or not isinstance(data.get("button"), list) or not 1 <= len(data["button"]) <= 3:
        return error(47001)
    with state.lock:
        state.menu = data
    return error(0)


def menu_get(state: State, _request: Request, _call: dict) -> dict:
    with state.lock:
        menu = state.menu
    return {"menu": menu} if menu else error(46003)


def oauth_access_token(state: State, request: Request, _call: dict) -> dict:
    args = request.args
    if args.get("appid") != state.app_id:
        return error(40013)
    if args.get("secret") != state.app_secret:
        return error(40125)
    errcode, openid = state.take_oauth_code(args.get("code", ""))
    if errcode:
        return error(errcode)
    return {"access_token": "OAUTH_" + openid[-8:], "expires_in": 7200, "refresh_token": "REFRESH_" + openid[-8:],
            "openid": openid, "scope": "snsapi_base"}


ROUTES: dict[str, Callable[[State, Request, dict], dict | Response]] = {
    "cgi-bin/token": token,
    "cgi-bin/stable_token": stable_token,
    "cgi-bin/message/custom/send": custom_send,
    "cgi-bin/message/template/send": template_send,
    "cgi-bin/message/subscribe/bizsend": subscribe_send,
    "cgi-bin/media/get": media_get,
    "cgi-bin/menu/create": menu_create,
    "cgi-bin/menu/get": menu_get,
    "sns/oauth2/access_token": oauth_access_token,
}


class FakeApi:
    """The WSGI application: WeChat's endpoints plus the control API."""

    def __init__(self, state: State):
        self.state = state

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.path.startswith("/_fake/"):
            response = control.handle(self.state, request)
        else:
            response = self.answer(request)
        return response(environ, start_response)

    def answer(self, request: Request) -> Response:
        path = request.path.strip("/")
        call = {"at": time.time(), "method": request.method, "path": path,
                "params": {k: v for k, v in request.args.items() if k not in HIDDEN_PARAMS},
                "json": json_body(request) if request.method == "POST" else None}
        if self.state.is_down():
            return self.finish(call, Response("service unavailable", status=503), None)
        if self.state.delay_s:
            time.sleep(self.state.delay_s)
        handler = ROUTES.get(path)
        if handler is None:
            return self.finish(call, Response("not found", status=404), None)
        injected = self.state.injected_failure(path)
        if injected is not None and 500 <= injected < 600:
            return self.finish(call, Response("injected failure", status=injected), None)
        if injected is not None:
            return self.finish(call, None, error(injected))
        if path in NEEDS_TOKEN:
            errcode = self.state.check_token(request.args.get("access_token"))
            if errcode:
                return self.finish(call, None, error(errcode))
        result = handler(self.state, request, call)
        if isinstance(result, Response):
            return self.finish(call, result, None)
        return self.finish(call, None, result)

    def finish(self, call: dict, response: Response | None, body: dict | None) -> Response:
        if response is None:
            response = Response(json.dumps(body, ensure_ascii=False), content_type="application/json; charset=utf-8")
            call["errcode"] = body.get("errcode", 0)
        else:
            call["errcode"] = None if response.status_code != 200 else 0
        call["http_status"] = response.status_code
        self.state.record(call)
        return response
