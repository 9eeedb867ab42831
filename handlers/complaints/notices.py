"""What the resident (and followers of the complaint) are told at each public step.

Queued in the transition's transaction through the outbox, with a dedup key
per event (``complaint:<id>:<event id>``) so a step is announced once.
"""
from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from handlers.complaints.categories import short_name
from handlers.complaints.deadlines import on_calendar_hours
from handlers.complaints.env import Env
from models import Complaint, ComplaintEvent, ComplaintFollower, ComplaintPhoto, Department
from models.localtime import SHORT, show
from models.outbox import enqueue

FOLLOWER_ACTIONS = {"dispatch", "resolve", "close", "reopen"}


def local_time(value: datetime | None) -> str:
    return show(value, SHORT)


def values_for(complaint: Complaint, event: ComplaintEvent, env: Env) -> dict:
    department = env.session.get(Department, complaint.department_id) if complaint.department_id else None
    return {"c": complaint, "event": event, "category": short_name(env.settings, complaint.category),
            "department": department.name if department else "", "due": local_time(complaint.due_at),
            "department_phone": department.phone if department and department.phone_public else "",
            "data": event.data or {}, "at": local_time(event.at), "link": env.url("status", complaint),
            "review_hours": review_hours(complaint, env),
            "photos_pending": event.action == "submit" and pending_photos(complaint, session=env.session) > 0}


def review_hours(complaint: Complaint, env: Env) -> int | None:
    """Hours the review may take when the complaint is reviewed on calendar hours (urgent), else None."""
    return env.cfg.urgent_review_hours if on_calendar_hours(complaint) else None


def pending_photos(complaint: Complaint, *, session) -> int:
    return len(session.exec(select(ComplaintPhoto.id).where(ComplaintPhoto.complaint_id == complaint.id,
                                                            ComplaintPhoto.status == "pending")).all())


def tell(complaint: Complaint, event: ComplaintEvent, env: Env) -> None:
    """Queue the notice for ``event`` to the reporter and, for some steps, the followers."""
    recipients = [complaint.openid] if complaint.openid else []
    if event.action in FOLLOWER_ACTIONS:
        recipients += env.session.exec(select(ComplaintFollower.openid)
                                       .where(ComplaintFollower.complaint_id == complaint.id)).all()
    values = values_for(complaint, event, env)
    for n, openid in enumerate(dict.fromkeys(recipients)):
        key = f"complaint:{complaint.id}:{event.id}" + (f":f{n}" if n else "")
        values["follower"] = openid != complaint.openid
        enqueue(openid=openid, kind="complaint", payload=payload_for(event, values, env),
                dedup_key=key, not_before=env.now, session=env.session)
        if event.action == "resolve" and not values["follower"]:
            text = env.render("wechat/complaint_rate_request.txt", **values).strip()
            enqueue(openid=openid, kind="complaint", payload={"text": text},
                    dedup_key=key + ":rate", not_before=env.now, session=env.session)


def payload_for(event: ComplaintEvent, values: dict, env: Env) -> dict:
    text = env.render(f"wechat/complaint_{event.action}.txt", **values).strip()
    if event.action != "resolve":
        return {"text": text}
    complaint = values["c"]
    photo_id = (event.data or {}).get("after_photo_id")
    article = {"title": f"您反映的问题已处理（{complaint.ticket}）", "description": text,
               "url": env.url("status", complaint), "picurl": env.url("photo", complaint, photo_id=photo_id)}
    # News for the customer-service channel; the template fallback carries the words and the link.
    return {"news": [article], "template": {"kind": "complaint", "data": {"content": text}, "url": article["url"]}}


def tell_staff(openid: str | None, template: str, key: str, env: Env, **values) -> None:
    """A notice to a staff member's WeChat (supervisor escalations); skipped without openid."""
    if openid:
        enqueue(openid=openid, kind="complaint_staff", dedup_key=key, not_before=env.now,
                payload={"text": env.render(template, **values).strip()}, session=env.session)
