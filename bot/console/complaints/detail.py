"""One complaint: photos (through an authorised view), location, timeline, what the viewer may do."""
from __future__ import annotations

from flask import abort, render_template, request
from sqlmodel import select

from bot import db
from bot.complaints.public import photo_response
from bot.complaints.services import current_env
from bot.console import audit_words
from bot.console.auth import audit, current_staff, roles_required
from bot.console.complaints import STAFF_ROLES, bp, may_see_contacts, viewer_actor, visible_complaint
from bot.console.complaints.queue import lookups
from handlers.complaints import deadlines, duplicates, routing
from handlers.complaints.labels import ACTION_LABELS, CLOSURE_LABELS, DEADLINE_LABELS, RATING_LABELS
from handlers.complaints.lifecycle import allowed_actions
from handlers.complaints.reporters import Reporter, reporters
from handlers.complaints.rules import REASONS_FOR
from models import ComplaintEvent, ComplaintPhoto
from models.privacy import mask_contacts, mask_name
from models.projects import ITEM_STATUS, ComplaintItem, ProjectItem


def reporter(complaint) -> Reporter:
    """Who reported it: full contact for those who call back (``may_see_contacts``), else masked."""
    found = reporters([complaint], session=db.session()).get(complaint.id) or Reporter()
    if not may_see_contacts():
        return found.masked()
    if found.phone or found.name:
        audit("pii.view", f"complaint:{complaint.id}", community_id=complaint.community_id)
    return found


def timeline_actors(events, who: Reporter) -> dict[str, str]:
    """Event actor code → 居民 张* / 社区工作人员 李* / 系统 (never ``resident:1``)."""
    staff = audit_words.staff_directory({e.actor for e in events}, session=db.session())
    resident = f"居民 {mask_name(who.name)}" if who.name else "居民"
    return {e.actor: resident if e.actor.startswith("resident:") else audit_words.actor_label(e.actor, staff)
            for e in events}


def shown_text():
    """How free text is shown: phones masked for departments (they do not call the resident back)."""
    return mask_contacts if current_staff().role == "department" else (lambda text: text or "")


def linked_item(complaint) -> ProjectItem | None:
    """The renovation item the complaint is linked to (models.projects.ComplaintItem), if any."""
    return db.session().exec(select(ProjectItem).join(ComplaintItem, ComplaintItem.item_id == ProjectItem.id)
                             .where(ComplaintItem.complaint_id == complaint.id)).first()


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
    suggested = routing.department_for(complaint.category, complaint.community_id, env.settings, session=env.session)
    similar = duplicates.suggestions(complaint, env=env) if "mark_duplicate" in actions else []
    who = reporter(complaint)
    page = render_template(
        "console/complaints/detail.html", c=complaint, photos=photos, events=events, actions=actions,
        suggested=suggested, similar=similar, who=who, actors=timeline_actors(events, who), shown=shown_text(),
        overdue=deadlines.is_overdue(complaint, env.now), warn_at=deadlines.warn_at(complaint, env.cfg.warn_fraction),
        item=linked_item(complaint), item_status=ITEM_STATUS, now=env.now, action_labels=ACTION_LABELS,
        closure_labels=CLOSURE_LABELS, rating_labels=RATING_LABELS, deadline_labels=DEADLINE_LABELS, reasons_for=REASONS_FOR, **lookups())
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
