"""One fresh process: build the app, then time the first and second request of some pages and messages.

    python bench/coldstart/probe.py ITEM [ITEM ...]     # prints one JSON line

Run by bench/coldstart/run.py with LINLI_CONFIG / LINLI_DATABASE_URL / LINLI_APP_WARM_UP set;
ITEM names are the keys of PAGES and MESSAGES.  Requests go through the app in-process (no HTTP
server), each on a fresh thread as a real request would (bot.devtools.transport).
"""
from __future__ import annotations

import json
import re
import sys
import threading
import time
from pathlib import Path

T0 = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot import create_app  # noqa: E402
from bot.devtools import transport  # noqa: E402
from bot.devtools.wechat_client import SimulatedWeChat  # noqa: E402

ADMIN = ("demo_admin", "Linli-admin-2024")  # printed by init-db --demo
PAGES = {  # name: (method, path)
    "console_home": ("GET", "/console/"),
    "households": ("GET", "/console/households"),
    "household": ("GET", "/console/households/1"),
    "complaint_queue": ("GET", "/console/complaints/"),
    "complaint_detail": ("GET", "/console/complaints/1"),
    "survey_run": ("GET", "/console/surveys/runs/1"),
    "survey_report": ("GET", "/console/surveys/runs/1/report"),
    "template_edit": ("GET", "/console/surveys/templates/1"),
    "template_save": ("POST", "/console/surveys/templates/1"),
    "faq_console": ("GET", "/console/faq/"),
    "h5_article": ("GET", "/h5/articles/1"),
}
MESSAGES = {  # name: (msg_type, fields)
    "text_faq": ("text", {"Content": "加装电梯要怎么申请"}),
    "voice_faq": ("voice", {"MediaId": "m1", "Format": "amr", "Recognition": "老旧小区改造要交钱吗"}),
    "text_keyword": ("text", {"Content": "绑定"}),
    "click_survey": ("event", {"Event": "CLICK", "EventKey": "SURVEY"}),
    "click_complaint": ("event", {"Event": "CLICK", "EventKey": "COMPLAINT"}),
    "subscribe": ("event", {"Event": "subscribe", "EventKey": "qrscene_community_1"}),
    "image": ("image", {"PicUrl": "http://127.0.0.1:9/p.jpg", "MediaId": "bench_media_1"}),
    "location": ("location", {"Location_X": 38.04, "Location_Y": 114.5, "Scale": 15, "Label": "幸福里"}),
}


class Console:
    """A logged-in admin's browser, requests on fresh threads (no shared app context)."""

    def __init__(self, app):
        self.app, self.client = app, app.test_client()
        self.csrf = ""

    def call(self, method: str, path: str, data: dict | None = None) -> int:
        result = {}

        def go():
            response = self.client.open(path, method=method, data=data)
            result["status"], result["text"] = response.status_code, response.get_data(as_text=True)

        worker = threading.Thread(target=go)
        worker.start()
        worker.join()
        found = re.search(r'name="csrf_token" value="([^"]+)"', result.get("text", ""))
        self.csrf = found.group(1) if found else self.csrf
        return result["status"]

    def log_in(self) -> None:
        self.call("GET", "/console/login")
        self.call("POST", "/console/login", {"username": ADMIN[0], "password": ADMIN[1], "csrf_token": self.csrf})

    def form_for(self, name: str) -> dict | None:
        if name != "template_save":
            return None
        from sqlmodel import Session

        from models import SurveyTemplate
        with Session(self.app.extensions["linli.engine"]) as session:
            draft = session.get(SurveyTemplate, 1).draft
        return {"json": json.dumps(draft, ensure_ascii=False), "csrf_token": self.csrf}


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def probe(items: list[str]) -> dict:
    create_s, app = timed(create_app)
    out = {"process_to_app_s": round(time.perf_counter() - T0, 2), "create_app_s": round(create_s, 2), "items": {}}
    console = Console(app)
    if any(name in PAGES for name in items):
        out["login_s"] = round(timed(console.log_in)[0], 2)
    wx = app.config["LINLI"]["wechat"]
    sim = SimulatedWeChat(transport=transport.in_process(app), token=wx["token"], app_id=wx["app_id"],
                          account=wx["account_id"])
    for n, name in enumerate(items):
        out["items"][name] = [_once(name, console, sim, f"o_bench_{n}_{k}") for k in range(2)]
    return out


def _once(name: str, console: Console, sim: SimulatedWeChat, openid: str) -> dict:
    if name in PAGES:
        method, path = PAGES[name]
        seconds, status = timed(lambda: console.call(method, path, console.form_for(name)))
        return {"s": round(seconds, 3), "status": status}
    msg_type, fields = MESSAGES[name]
    seconds, (status, reply) = timed(lambda: sim.send_fields(openid, msg_type, dict(fields)))
    passive = isinstance(reply, dict)  # "success": answered later through the outbox
    return {"s": round(seconds, 3), "status": status, "passive": passive}


if __name__ == "__main__":
    print(json.dumps(probe(sys.argv[1:]), ensure_ascii=False), flush=True)
