"""Messages the service sent to a resident through the (fake) WeChat API.

The fake API records every call; ``GET /_fake/calls?since=N`` returns the ones
after the N-th.  The simulators poll it to show what a resident would see
arrive after the passive reply (customer-service and template messages).
"""
from __future__ import annotations

from dataclasses import dataclass

import requests

SEND_PATHS = ("message/custom/send", "message/template/send")


@dataclass
class Delivered:
    messages: list[dict]
    next: int
    reachable: bool


def fetch(api_base_url: str, openid: str, since: int = 0, *, timeout: float = 2.0) -> Delivered:
    """Successful sends to ``openid`` recorded by the fake API after call ``since``."""
    try:
        resp = requests.get(api_base_url.rstrip("/") + "/_fake/calls", params={"since": since}, timeout=timeout)
        resp.raise_for_status()
        data = resp.json()
    except (requests.RequestException, ValueError):
        return Delivered([], since, False)
    found = [describe(call) for call in data.get("calls", []) if is_send_to(call, openid)]
    return Delivered(found, int(data.get("next", since)), True)


def is_send_to(call: dict, openid: str) -> bool:
    return (str(call.get("path", "")).endswith(SEND_PATHS) and call.get("errcode") == 0
            and (call.get("json") or {}).get("touser") == openid)


def describe(call: dict) -> dict:
    """``{"kind", "text", "at"}`` of one send, in words a person can read."""
    body = call.get("json") or {}
    if str(call.get("path", "")).endswith("template/send"):
        values = [str(v.get("value", "")) for v in (body.get("data") or {}).values() if isinstance(v, dict)]
        return {"kind": "template", "text": "\n".join(values), "at": call.get("at")}
    msgtype = body.get("msgtype", "")
    content = body.get(msgtype) or {}
    if msgtype == "text":
        text = content.get("content", "")
    elif msgtype == "news":
        text = "\n".join(a.get("title", "") for a in content.get("articles", []) if isinstance(a, dict))
    else:
        text = f"[{msgtype}]"
    return {"kind": msgtype or "unknown", "text": text, "at": call.get("at")}
