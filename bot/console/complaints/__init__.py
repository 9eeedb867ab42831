"""``/console/complaints``: the 随手拍 queue, detail and actions, export, figures.

Who sees what: admins everything; workers the communities they serve;
department staff only what is dispatched to their department.  Anything
else is a 404 (we do not confirm that it exists).  Views are thin: the
transitions live in ``handlers.complaints.lifecycle``; one commit per request.
"""
from __future__ import annotations

from importlib import import_module

from flask import Blueprint, abort

from bot import db
from bot.console import nav
from bot.console.auth import current_staff
from handlers.complaints.env import Actor
from handlers.complaints.queries import Scope
from models import Complaint

bp = Blueprint("console_complaints", __name__, url_prefix="/console/complaints")
nav.add("console_complaints.queue", "随手拍", ("admin", "worker", "department"))
nav.add("console_complaints.figures", "诉求统计", ("admin", "worker"))
nav.add("console_complaints.complaint_map", "诉求地图", ("admin", "worker", "department"))

STAFF_ROLES = ("admin", "worker", "department")
WORKERS = ("admin", "worker")


def viewer_scope() -> Scope:
    staff = current_staff()
    if staff is None:
        return Scope(community_ids=frozenset())
    if staff.role == "department":
        return Scope(department_id=staff.department_id if staff.department_id is not None else -1)
    if staff.is_admin:
        return Scope()
    return Scope(community_ids=staff.community_ids)


def may_see_contacts() -> bool:
    """Whether the viewer may read reporters' names and phones in full (each view audited).

    Workers and admins call residents back; department staff read them masked."""
    staff = current_staff()
    return staff is not None and staff.role in WORKERS


def viewer_actor() -> Actor:
    staff = current_staff()
    return Actor(staff.username, staff.role, staff.department_id)


def visible_complaint(complaint_id: int) -> Complaint:
    """The complaint if the viewer may see it, else 404."""
    complaint = db.session().get(Complaint, complaint_id)
    if complaint is None or not viewer_scope().allows(complaint):
        abort(404)
    return complaint


VIEWS = ["queue", "detail", "actions", "export", "figures", "new", "map"]
for _name in VIEWS:
    import_module(f"bot.console.complaints.{_name}")
