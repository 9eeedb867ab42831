"""Open311 GeoReport v2, read-only, for city systems: ``/open311/v2/...json`` behind an API key.

Published are only complaints a worker accepted (or dispatched): never drafts,
nor those awaiting review, rejected or duplicate.  Coordinates are rounded to 3
decimals (about 100 m): they often come from a photo's GPS, the reporter's door.

Services are the complaint categories; requests are submitted complaints by
ticket number.  Never included: the reporter, contact numbers (masked in the
description), photos, hidden complaints, drafts.  Keys: ``[complaints]
open311_api_keys`` (a list, or "k1,k2" from LINLI_COMPLAINTS_OPEN311_API_KEYS), sent
in the ``X-Api-Key`` header (GeoReport's ``api_key=`` query still works; access
logs redact it, bot/accesslog.py).
"""
from __future__ import annotations

import hmac
from datetime import datetime, timedelta, timezone

from flask import Blueprint, current_app, jsonify, request
from sqlmodel import exists, select

from bot import db
from bot.runtime import now
from handlers.complaints import categories
from handlers.complaints.labels import CLOSURE_LABELS, STATE_LABELS
from handlers.complaints.states import OPEN311_CLOSED as OPEN_TO_CITY  # GeoReport "closed"
from models import Complaint, ComplaintEvent, Department
from models.privacy import mask_contacts

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
NOT_PUBLISHED = ("draft", "submitted", "need_info", "rejected", "duplicate")
ACCEPTING_ACTIONS = ("accept", "dispatch")
PUBLIC_DECIMALS = 3  # about 110 m of latitude
MAX_REQUESTS, DEFAULT_DAYS = 1000, 90
KEY_HEADER = "X-Api-Key"


def error(code: int, description: str):
    return jsonify([{"code": code, "description": description}]), code


def api_keys() -> list[str]:
    keys = current_app.config["LINLI"]["complaints"]["open311_api_keys"]
    if isinstance(keys, str):
        keys = keys.split(",")
    return [k.strip() for k in keys if k and k.strip()]


@bp.before_request
def require_key():
    """The key from the ``X-Api-Key`` header (kept out of access logs), or GeoReport's ``api_key=``."""
    given = request.headers.get(KEY_HEADER, "") or request.args.get("api_key", "")
    if not given or not any(hmac.compare_digest(given, key) for key in api_keys()):
        return error(403, "api_key missing or not valid")
    return None


@bp.get("/services.json")
def services():
    settings = current_app.config["LINLI"]
    return jsonify([{"service_code": c.code, "service_name": c.name.split("（")[0], "description": c.name,
                     "metadata": False, "type": "realtime", "keywords": c.deadline_class, "group": "随手拍"}
                    for c in categories.all_categories(settings)])


@bp.get("/requests.json")
def requests_list():
    query = published(select(Complaint))
    ids = [t.strip().upper() for t in listed("service_request_id")]
    if ids:
        query = query.where(Complaint.ticket.in_(ids[:MAX_REQUESTS]))
    else:
        try:
            start, end = parse_dates()
        except (ValueError, OverflowError):  # OverflowError: end_date=0001-01-01 minus the default 90 days
            return error(400, "start_date / end_date must be ISO 8601 (w3c) datetimes")
        query = query.where(Complaint.submitted_at >= start, Complaint.submitted_at <= end)
    if request.args.get("service_code"):
        query = query.where(Complaint.category.in_(listed("service_code") or [""]))
    status = request.args.get("status", "")
    if status in ("open", "closed"):
        closed = Complaint.state.in_(OPEN_TO_CITY)
        query = query.where(closed if status == "closed" else ~closed)
    rows = db.session().exec(query.order_by(Complaint.submitted_at.desc()).limit(MAX_REQUESTS)).all()
    return jsonify([as_request(c) for c in rows])


@bp.get("/requests/<ticket>.json")
def request_one(ticket: str):
    ticket = ticket.replace("\x00", "")  # PostgreSQL refuses NUL in text: a 500, found by bench/fuzz
    found = db.session().exec(published(select(Complaint)).where(Complaint.ticket == ticket.upper())).first()
    if found is None:
        return error(404, "no such service request")
    return jsonify([as_request(found)])


def listed(name: str) -> list[str]:
    """A comma-separated parameter's values, without NUL (PostgreSQL refuses it in text: a 500 otherwise)."""
    return [v for v in request.args.get(name, "").replace("\x00", "").split(",") if v.strip()]


def published(query):
    """Only what the city may see: accepted by a worker, not hidden, not waiting, rejected or a duplicate."""
    accepted = exists().where(ComplaintEvent.complaint_id == Complaint.id,
                              ComplaintEvent.action.in_(ACCEPTING_ACTIONS))
    return query.where(Complaint.hidden == False, Complaint.state.not_in(NOT_PUBLISHED), accepted)  # noqa: E712


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, PUBLIC_DECIMALS)


def parse_dates() -> tuple[datetime, datetime]:
    def parse(name: str, default: datetime) -> datetime:
        raw = request.args.get(name)
        if not raw:
            return default
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        # In UTC here, as the database stores it: 9999-12-31T23:59-14:00 overflows now (a 400), not in the query.
        return value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)
    end = parse("end_date", now())
    return parse("start_date", end - timedelta(days=DEFAULT_DAYS)), end


def as_request(c: Complaint) -> dict:
    settings = current_app.config["LINLI"]
    department = db.session().get(Department, c.department_id) if c.department_id else None
    return {
        "service_request_id": c.ticket, "status": "closed" if c.state in OPEN_TO_CITY else "open",
        "status_notes": CLOSURE_LABELS.get(c.closure_reason) or STATE_LABELS.get(c.state, c.state),
        "service_name": categories.short_name(settings, c.category), "service_code": c.category or "",
        "description": mask_contacts(c.description), "agency_responsible": department.name if department else "",
        "service_notice": "", "requested_datetime": iso(c.submitted_at), "updated_datetime": iso(c.updated_at),
        "expected_datetime": iso(c.due_at), "address": mask_contacts(c.location_label), "address_id": "", "zipcode": "",
        "lat": rounded(c.latitude), "long": rounded(c.longitude), "media_url": "",
    }


def iso(value: datetime | None) -> str | None:
    return value.astimezone(timezone.utc).isoformat(timespec="seconds") if value else None
