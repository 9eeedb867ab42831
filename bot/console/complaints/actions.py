"""POST endpoints that move a complaint (one lifecycle transition each) or set a moderation flag."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for

from bot import db
from bot.complaints.services import current_env
from bot.console.auth import audit, roles_required
from bot.console.complaints import STAFF_ROLES, WORKERS, bp, viewer_actor, visible_complaint
from bot.runtime import services
from handlers.complaints import staffwork
from handlers.complaints.lifecycle import STAFF_PARAMS, transition
from handlers.complaints.photos import PhotoError
from handlers.complaints.rules import TransitionError
from models import ComplaintPhoto

MAX_UPLOAD = 20 * 1024 * 1024


def form_params() -> dict:
    params = {name: request.form.get(name, "").strip() for name in STAFF_PARAMS}
    return {k: v for k, v in params.items() if v}


@bp.post("/<int:complaint_id>/act")
@roles_required(*STAFF_ROLES)
def act(complaint_id: int):
    complaint = visible_complaint(complaint_id)
    env, action = current_env(), request.form.get("action", "")
    try:
        if action == "resolve":
            upload = request.files.get("photo")
            if upload is None or not upload.filename:
                raise TransitionError("办结需上传处理后的照片")
            staffwork.attach_upload(complaint, upload.read(MAX_UPLOAD + 1), env=env, storage=services().storage)
        transition(complaint, action, env=env, actor=viewer_actor(), note=request.form.get("note", "").strip(),
                   **form_params())
    except (TransitionError, PhotoError, ValueError) as exc:
        env.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("console_complaints.detail", complaint_id=complaint_id))
    audit(f"complaint.{action}", f"complaint:{complaint.id}", community_id=complaint.community_id)
    env.session.commit()
    flash("已保存", "ok")
    return redirect(url_for("console_complaints.detail", complaint_id=complaint_id))


@bp.post("/<int:complaint_id>/hide")
@roles_required(*WORKERS)
def hide(complaint_id: int):
    complaint = visible_complaint(complaint_id)
    env = current_env()
    hidden = request.form.get("hidden") == "1"
    staffwork.set_hidden(complaint, hidden, env=env, actor=viewer_actor(), note=request.form.get("note", ""))
    audit("complaint.hide" if hidden else "complaint.unhide", f"complaint:{complaint.id}",
          community_id=complaint.community_id)
    env.session.commit()
    return redirect(url_for("console_complaints.detail", complaint_id=complaint_id))


@bp.post("/photo/<int:photo_id>/redact")
@roles_required(*WORKERS)
def redact(photo_id: int):
    found = db.session().get(ComplaintPhoto, photo_id)
    if found is None:
        abort(404)
    complaint = visible_complaint(found.complaint_id)
    env = current_env()
    staffwork.redact_photo(found, env=env, actor=viewer_actor(), note=request.form.get("note", ""))
    audit("complaint.redact_photo", f"complaint_photo:{found.id}", community_id=complaint.community_id)
    env.session.commit()
    return redirect(url_for("console_complaints.detail", complaint_id=complaint.id))
