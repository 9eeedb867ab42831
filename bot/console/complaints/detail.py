"""One complaint: photos (through an authorised view), location, timeline, what the viewer may do."""
from __future__ import annotations

from flask import abort, render_template, request
from sqlmodel import select

from bot import db
from bot.complaints.public import photo_response
from bot.complaints.services import current_env
from bot.console.auth import audit, current_staff, roles_required
from bot.console.complaints import STAFF_ROLES, bp, viewer_actor, visible_complaint
from bot.console.complaints.queue import lookups
from handlers.complaints import deadlines, duplicates, routing
from handlers.complaints.labels import ACTION_LABELS, CLOSURE_LABELS, DEADLINE_LABELS, RATING_LABELS
from handlers.complaints.lifecycle import CLOSURE_REASONS, allowed_actions
from handlers.complaints.notices import local_time
from models import ComplaintEvent, ComplaintPhoto, Resident
from models.privacy import mask_contacts, mask_name, mask_phone


def reporter(complaint) -> dict:
    """Who reported it: full contact for workers and admins (they call back), masked for departments."""
    resident = db.session().get(Resident, complaint.resident_id) if complaint.resident_id else None
    if resident is None:
        return {"name": "", "phone": ""}
    if current_staff().role == "department":
        return {"name": mask_name(resident.name), "phone": mask_phone(resident.phone)}
    if resident.phone:
        audit("pii.view", f"complaint:{complaint.id}", community_id=complaint.community_id)
    return {"name": resident.name or "", "phone": resident.phone or ""}


def shown_text():
    """How free text is shown: phones masked for departments (they do not call the resident back)."""
    return mask_contacts if current_staff().role == "department" else (lambda text: text or "")


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
        suggested=suggested, similar=similar, who=reporter(complaint), local_time=local_time, shown=shown_text(),
        overdue=deadlines.is_overdue(complaint, env.now), warn_at=deadlines.warn_at(complaint, env.cfg.warn_fraction),
        now=env.now, action_labels=ACTION_LABELS, closure_labels=CLOSURE_LABELS, rating_labels=RATING_LABELS,
        deadline_labels=DEADLINE_LABELS, closure_reasons=CLOSURE_REASONS, **lookups())
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
