"""Who is logged in to the console, what they may see, and the audit trail.

``current_staff()`` is a small immutable principal built once per request from
the ``staff_user`` row (role, department, communities), so views and templates
never touch the ORM object.  Roles: ``admin`` sees everything; ``worker`` sees
the communities they serve; ``department`` staff see only what was dispatched
to their department (no communities: ``visible_community_ids()`` is empty).
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from functools import wraps
from typing import Any, Callable

from flask import abort, current_app, request, session
from flask_login import current_user, login_required  # noqa: F401  (re-exported)
from sqlmodel import select

from bot import db
from bot.extensions import login_manager
from bot.runtime import now
from models import StaffCommunity, StaffUser
from models.audit import record


@dataclass(frozen=True)
class Staff:
    """The logged-in staff member (Flask-Login's user object)."""

    id: int
    username: str
    display_name: str
    role: str
    department_id: int | None
    community_ids: frozenset[int]
    session_key: str

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return self.session_key

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def session_key_of(user: StaffUser) -> str:
    """Id, session generation and a piece of the password hash.

    Logging out, a password change and disabling the account raise the
    generation (handlers.households.staff), so a cookie copied before no
    longer names a session the server accepts.
    """
    return f"{user.id}:{user.session_generation or 0}:{user.password_hash[-12:]}"


def principal(user: StaffUser) -> Staff:
    ids = db.session().exec(select(StaffCommunity.community_id).where(StaffCommunity.staff_id == user.id)).all()
    return Staff(id=user.id, username=user.username, display_name=user.display_name or user.username,
                 role=user.role, department_id=user.department_id, community_ids=frozenset(ids),
                 session_key=session_key_of(user))


@login_manager.user_loader
def load_staff(session_key: str) -> Staff | None:
    staff_id, _, _ = session_key.partition(":")
    if not (staff_id.isascii() and staff_id.isdigit() and len(staff_id) < 10) or not session_alive():
        return None
    user = db.session().get(StaffUser, int(staff_id))
    if user is None or not user.active or not hmac.compare_digest(session_key_of(user), session_key):
        return None
    return principal(user)


def start_session() -> None:
    """Called at login: the cookie lives ``console.session_hours`` and is stamped for idle expiry."""
    stamp = now().timestamp()
    session.permanent = True
    session["login_at"], session["seen_at"] = stamp, stamp


def session_alive() -> bool:
    """Within ``console.session_hours`` of login and ``console.idle_minutes`` of the last request.

    The stamps live in the signed cookie; what ends a session server-side is
    the generation in its key.  ``seen_at`` is refreshed at most once a minute.
    """
    settings, stamp = current_app.config["LINLI"]["console"], now().timestamp()
    login_at, seen_at = session.get("login_at"), session.get("seen_at")
    if not isinstance(login_at, (int, float)) or not isinstance(seen_at, (int, float)):
        return False
    if stamp - login_at > float(settings["session_hours"]) * 3600:
        return False
    if stamp - seen_at > float(settings["idle_minutes"]) * 60:
        return False
    if stamp - seen_at >= 60:
        session["seen_at"] = stamp
    return True


def current_staff() -> Staff | None:
    """The logged-in staff member, or None."""
    user = current_user._get_current_object() if current_user else None
    return user if isinstance(user, Staff) else None


def roles_required(*roles: str) -> Callable:
    """Log in first; then 403 unless the staff member has one of ``roles``."""
    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any):
            staff = current_staff()
            if staff is None or staff.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorate


def visible_community_ids() -> frozenset[int] | None:
    """None means all (admins); otherwise the ids the staff member may see (maybe empty)."""
    staff = current_staff()
    if staff is None:
        return frozenset()
    if staff.is_admin:
        return None
    if staff.role == "worker":
        return staff.community_ids
    return frozenset()


def can_see_community(community_id: int | None) -> bool:
    visible = visible_community_ids()
    return visible is None or (community_id is not None and community_id in visible)


def require_community(community_id: int | None) -> None:
    """404 (not 403: do not confirm that the thing exists) unless the community is visible."""
    if not can_see_community(community_id):
        abort(404)


def actor() -> str:
    staff = current_staff()
    return staff.username if staff else "anonymous"


def audit(action: str, target: str, before: dict | None = None, after: dict | None = None,
          community_id: int | None = None):
    """Record a console action by the current staff member in the request's transaction."""
    return record(actor=actor(), action=action, target=target, before=before, after=after,
                  community_id=community_id, at=now(), session=db.session())


def client_ip() -> str:
    return request.remote_addr or "-"
