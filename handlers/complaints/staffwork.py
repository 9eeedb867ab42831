"""Staff-side photo uploads and moderation flags (hidden, photo redacted): flags, not states."""
from __future__ import annotations

from handlers.complaints.env import Actor, Env
from handlers.complaints.fetch import store_processed
from models import Complaint, ComplaintEvent, ComplaintPhoto


def attach_upload(complaint: Complaint, data: bytes, *, env: Env, storage, kind: str = "after") -> ComplaintPhoto:
    """Clean and store an uploaded photo (an "after" photo when resolving).  Raises PhotoError."""
    photo = ComplaintPhoto(complaint_id=complaint.id, kind=kind, status="pending", received_at=env.now)
    store_processed(photo, data, env=env, storage=storage)
    env.session.flush()
    return photo


def set_hidden(complaint: Complaint, hidden: bool, *, env: Env, actor: Actor, note: str = "") -> None:
    complaint.hidden = hidden
    _record(complaint, "hide" if hidden else "unhide", env, actor, note)


def redact_photo(photo: ComplaintPhoto, *, env: Env, actor: Actor, note: str = "") -> None:
    """Never shown again (faces, plates, private spaces); the file stays for the record."""
    photo.redacted = True
    env.session.add(photo)
    complaint = env.session.get(Complaint, photo.complaint_id)
    _record(complaint, "redact_photo", env, actor, note, {"photo_id": photo.id})


def _record(complaint: Complaint, action: str, env: Env, actor: Actor, note: str, data: dict | None = None) -> None:
    env.session.add_all([complaint, ComplaintEvent(complaint_id=complaint.id, at=env.now, actor=actor.name[:64],
                                                   action=action, from_state=complaint.state,
                                                   to_state=complaint.state, note=note[:1000], data=data or {})])
    env.session.flush()
