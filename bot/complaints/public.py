"""``/c/...``: what a resident opens from a notice: their complaint's progress and photos.

Access is by a signed link only (bot.complaints.links); photos are streamed
from storage after the check, never served as static files.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request
from sqlmodel import select

from bot import db, runtime, storage
from bot.complaints import links
from handlers.complaints.categories import short_name
from handlers.complaints.labels import ACTION_LABELS
from handlers.complaints.labels import RESIDENT_STATE_LABELS as STATE_LABELS
from handlers.complaints.notices import local_time
from models import Complaint, ComplaintEvent, ComplaintFollower, ComplaintPhoto

bp = Blueprint("complaint_public", __name__, url_prefix="/c")


@bp.record_once
def _init(state) -> None:
    links.init_app(state.app)


def _claims(token: str) -> dict:
    claims = runtime.services().complaint_links.read(token)
    if not claims:
        abort(404)
    return claims


def _complaint_for(claims: dict) -> Complaint:
    complaint = db.session().get(Complaint, claims.get("c"))
    if complaint is None or not _may_see(complaint, claims.get("o") or ""):
        abort(404)
    return complaint


def _may_see(complaint: Complaint, openid: str) -> bool:
    if openid and complaint.openid == openid:
        return True
    return bool(openid) and db.session().get(ComplaintFollower, (complaint.id, openid)) is not None


@bp.get("/<token>")
def status(token: str):
    claims = _claims(token)
    complaint = _complaint_for(claims)
    sess = db.session()
    events = sess.exec(select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint.id,
                                                    ComplaintEvent.public == True)  # noqa: E712
                       .order_by(ComplaintEvent.id)).all()
    photos = sess.exec(select(ComplaintPhoto).where(ComplaintPhoto.complaint_id == complaint.id,
                                                    ComplaintPhoto.redacted == False)  # noqa: E712
                       .order_by(ComplaintPhoto.id)).all()
    make = runtime.services().complaint_links
    shown = [{"photo": p, "url": make("photo", complaint, photo_id=p.id, openid=claims["o"]),
              "thumb": make("photo", complaint, photo_id=p.id, openid=claims["o"], thumb=True)} for p in photos]
    resp = Response(render_template("h5/complaint_status.html", c=complaint, events=events, photos=shown,
                                    state=STATE_LABELS.get(complaint.state, complaint.state),
                                    category=short_name(current_app.config["LINLI"], complaint.category),
                                    local_time=local_time, actions=ACTION_LABELS))
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.get("/photo/<token>")
def photo(token: str):
    claims = _claims(token)
    complaint = _complaint_for(claims)
    found = db.session().get(ComplaintPhoto, claims.get("p"))
    if found is None or found.complaint_id != complaint.id or found.redacted or found.status != "stored":
        abort(404)
    return photo_response(found, thumb=request.args.get("thumb") == "1")


def photo_response(found: ComplaintPhoto, *, thumb: bool) -> Response:
    """The stored bytes, private to the viewer's browser."""
    return storage.served(found.thumb_key if thumb else found.storage_key, found.content_type or "image/jpeg")
