"""One complaint: photos (through an authorised view), location, timeline, what the viewer may do."""
from __future__ import annotations

from flask import abort, render_template, request
from sqlmodel import select

from bot import db
from bot.complaints.public import photo_response
from bot.complaints.services import current_env
from bot.console.auth import audit, roles_required
from bot.console.complaints import STAFF_ROLES, bp, may_see_contacts, viewer_actor, visible_complaint
from bot.console.complaints.queue import lookups
from handlers.complaints import deadlines, duplicates, routing
from handlers.complaints.labels import ACTION_LABELS, CLOSURE_LABELS, DEADLINE_LABELS, RATING_LABELS
from handlers.complaints.lifecycle import REASONS_FOR, allowed_actions
from handlers.complaints.reporters import Reporter, reporters
from models import ComplaintEvent, ComplaintPhoto


def reporter(complaint) -> Reporter:
    """Who reported it: full contact for those who call back (``may_see_contacts``), else masked."""
    found = reporters(db.session(), [complaint]).get(complaint.id) or Reporter()
    if not may_see_contacts():
        return found.masked()
    if found.phone or found.name:
        audit("pii.view", f"complaint:{complaint.id}", community_id=complaint.community_id)
    return found


@bp.get("/<int:complaint_id>")
@roles_required(*STAFF_ROLES)
def detail(complaint_id: int):
    complaint = visible_complaint(complaint_id)
    env = current_env()
    photos = env.session.exec(select(ComplaintPhoto).where(ComplaintPhoto.complaint_id == complaint.id)
                              .order_by(ComplaintPhoto.id)).all()
    events = env.session.exec(select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint.id)
                              .order_by(ComplaintEvent.id)).all()
    actions = allowed_actions(complaint, viewer_actor())
    suggested = routing.department_for(env.session, complaint.category, complaint.community_id, env.settings)
    similar = duplicates.suggestions(complaint, env=env) if "mark_duplicate" in actions else []
    page = render_template(
        "console/complaints/detail.html", c=complaint, photos=photos, events=events, actions=actions,
        suggested=suggested, similar=similar, who=reporter(complaint),
        overdue=deadlines.is_overdue(complaint, env.now), warn_at=deadlines.warn_at(complaint, env.cfg.warn_fraction),
        now=env.now, action_labels=ACTION_LABELS, closure_labels=CLOSURE_LABELS, rating_labels=RATING_LABELS,
        deadline_labels=DEADLINE_LABELS, reasons_for=REASONS_FOR, **lookups())
    env.session.commit()  # the pii.view audit row
    return page


@bp.get("/photo/<int:photo_id>")
@roles_required(*STAFF_ROLES)
def photo(photo_id: int):
    found = db.session().get(ComplaintPhoto, photo_id)
    if found is None:
        abort(404)
    visible_complaint(found.complaint_id)
    if found.redacted or found.status != "stored":
        abort(404)
    return photo_response(found, thumb=request.args.get("thumb") == "1")
