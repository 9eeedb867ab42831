"""Gathering a complaint: a draft collects photos, words and a location, then is submitted.

Photos are only recorded here (MediaId, status pending); the clock downloads
them (fetch.py).  Every step is idempotent: the same MediaId twice is one photo.
"""
from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, func, select

from handlers.complaints import lifecycle
from handlers.complaints.env import SYSTEM, Actor, Env
from models import Complaint, ComplaintPhoto, Household, Resident
from models.households import active_binding


def current_draft(resident: Resident, *, session: Session) -> Complaint | None:
    return session.exec(select(Complaint).where(Complaint.resident_id == resident.id, Complaint.state == "draft")
                        .order_by(Complaint.id.desc())).first()


def draft_for(resident: Resident, *, env: Env) -> Complaint:
    """The resident's open draft, or a new one.

    Several photos sent together arrive as concurrent requests: the resident's
    row is locked first (FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE
    already serialises writers) so that they all land in one draft."""
    env.session.exec(select(Resident.id).where(Resident.id == resident.id).with_for_update()).one()
    draft = current_draft(resident, session=env.session)
    if draft is None:
        draft = Complaint(resident_id=resident.id, openid=resident.openid,
                          community_id=community_of(resident, session=env.session),
                          state="draft", created_at=env.now, updated_at=env.now)
        env.session.add(draft)
        env.session.flush()
    return draft


def community_of(resident: Resident, *, session: Session) -> int | None:
    """The community the resident chose (QR code), else the one of a household they are bound to."""
    if resident.community_id is not None:
        return resident.community_id
    binding = active_binding(resident.id, session=session)
    household = session.get(Household, binding.household_id) if binding else None
    return household.community_id if household else None


def add_photo(complaint: Complaint, media_id: str, *, env: Env, kind: str = "before") -> ComplaintPhoto:
    """Record a WeChat photo to fetch; the same MediaId again returns the first row."""
    found = env.session.exec(select(ComplaintPhoto).where(ComplaintPhoto.complaint_id == complaint.id,
                                                          ComplaintPhoto.media_id == media_id)).first()
    if found is not None:
        return found
    photo = ComplaintPhoto(complaint_id=complaint.id, kind=kind, media_id=media_id, status="pending",
                           received_at=env.now, next_attempt_at=env.now)
    complaint.updated_at = env.now
    env.session.add_all([photo, complaint])
    env.session.flush()
    return photo


def add_text(complaint: Complaint, text: str, *, env: Env) -> None:
    text = text.strip()
    if text and text not in complaint.description.split("\n"):
        complaint.description = (complaint.description + "\n" + text).strip()[:4000]
    complaint.updated_at = env.now
    env.session.add(complaint)
    env.session.flush()


def set_location(complaint: Complaint, lat: float, lng: float, label: str, *, env: Env) -> None:
    complaint.latitude, complaint.longitude = lat, lng
    complaint.location_label, complaint.location_source = label[:200], "message"
    complaint.updated_at = env.now
    env.session.add(complaint)
    env.session.flush()


def photo_count(complaint: Complaint, *, session: Session) -> int:
    return session.exec(select(func.count()).select_from(ComplaintPhoto)
                        .where(ComplaintPhoto.complaint_id == complaint.id)).one()


def pending_photos(complaint: Complaint, *, session: Session) -> int:
    return session.exec(select(func.count()).select_from(ComplaintPhoto)
                        .where(ComplaintPhoto.complaint_id == complaint.id,
                               ComplaintPhoto.status == "pending")).one()


def has_content(complaint: Complaint, *, session: Session) -> bool:
    return bool(complaint.description.strip()) or photo_count(complaint, session=session) > 0


def submit(complaint: Complaint, *, env: Env, actor: Actor, notify: bool) -> None:
    """Submit the draft (ticket, receipt); ``notify=False`` when the reply carries the receipt."""
    lifecycle.transition(complaint, "submit", env=env, actor=actor, notify=notify)


def finalize_stale(*, env: Env) -> dict[str, int]:
    """Submit drafts quiet for ``quiet_minutes`` with what they have; drop empty ones."""
    cutoff = env.now - timedelta(minutes=env.cfg.quiet_minutes)
    drafts = env.session.exec(select(Complaint).where(Complaint.state == "draft", Complaint.updated_at <= cutoff)
                              .order_by(Complaint.id)).all()
    done = {"submitted": 0, "dropped": 0}
    for draft in drafts:
        if has_content(draft, session=env.session):
            submit(draft, env=env, actor=SYSTEM, notify=True)
            done["submitted"] += 1
        else:
            env.session.delete(draft)
            done["dropped"] += 1
    env.session.flush()
    return done


def enter_by_staff(*, env: Env, actor: Actor, community_id: int, category: str, description: str,
                   location_label: str = "", latitude: float | None = None,
                   longitude: float | None = None) -> Complaint:
    """A complaint a worker takes down for a resident (phone call, visit, paper): submitted at once."""
    complaint = Complaint(community_id=community_id, category=category, description=description.strip()[:4000],
                          location_label=location_label.strip()[:200], latitude=latitude, longitude=longitude,
                          location_source="staff" if latitude is not None or location_label else None,
                          entered_by=actor.name[:64], state="draft", created_at=env.now, updated_at=env.now)
    env.session.add(complaint)
    env.session.flush()
    submit(complaint, env=env, actor=actor, notify=False)
    return complaint
