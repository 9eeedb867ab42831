"""How the simulators reach ``/wechat``: in-process through the app, or over HTTP."""
from __future__ import annotations

import threading

import requests
from flask import Flask

from bot.devtools.wechat_client import Transport


def in_process(app: Flask) -> Transport:
    """Post to ``/wechat`` through the app itself, on a fresh thread.

    Flask reuses an app context that is already pushed for the same app, so a
    test-client request made inside a CLI command or a view would share its
    ``g`` (and database session) with the caller and skip the per-request
    teardown.  A fresh thread starts with no context: each message gets its
    own, exactly as a request from WeChat would.
    """
    client = app.test_client()

    def send(query: dict, body: bytes) -> tuple[int, str]:
        result: dict = {}

        def post() -> None:
            resp = client.post("/wechat", query_string=query, data=body, content_type="text/xml")
            result["answer"] = (resp.status_code, resp.get_data(as_text=True))

        worker = threading.Thread(target=post, name="simulator-post")
        worker.start()
        worker.join(timeout=30)
        return result.get("answer", (504, "no answer within 30 s"))
    return send


def over_http(base_url: str) -> Transport:
    """Post to ``BASE_URL/wechat`` of a running server."""
    target = base_url.rstrip("/") + "/wechat"

    def send(query: dict, body: bytes) -> tuple[int, str]:
        resp = requests.post(target, params=query, data=body, timeout=10, headers={"Content-Type": "text/xml"})
        return resp.status_code, resp.text
    return send
