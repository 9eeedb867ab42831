"""Category and community → department: the default route; staff may override.

An active department receives a category when it lists it (by code, ``water``,
or by the short Chinese name an older setup typed, ``供水排水``) and serves the
complaint's community (a department with no communities serves every one).
A department that names the community wins over one serving all; among equals
the one created first.  What no department serves is a *gap*: shown to
workers and in the figures, never silently left undispatched.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, func, select

from handlers.complaints.categories import all_categories, short_name
from models import Community, Complaint, Department, DepartmentCommunity

# A complaint in one of these states without a department is waiting to be dispatched.
WAITING_STATES = ("submitted", "accepted", "returned", "reopened")


@dataclass(frozen=True)
class Routes:
    """The active departments and the communities each serves, loaded once."""

    departments: tuple[Department, ...]
    served: dict[int, frozenset[int]]  # department id → community ids (empty: all)

    def serving(self, category: str | None, community_id: int | None, settings: dict) -> Department | None:
        if not category:
            return None
        keys = {category, short_name(settings, category)}
        listing = [d for d in self.departments if keys & set(d.categories or [])]
        specific = [d for d in listing if community_id is not None and community_id in self.served.get(d.id, ())]
        general = [d for d in listing if not self.served.get(d.id)]
        return (specific or general or [None])[0]


def load_routes(*, session: Session) -> Routes:
    departments = tuple(session.exec(select(Department).where(Department.retired_at.is_(None))
                                     .order_by(Department.id)).all())
    served: dict[int, set[int]] = {}
    for link in session.exec(select(DepartmentCommunity)):
        served.setdefault(link.department_id, set()).add(link.community_id)
    return Routes(departments, {k: frozenset(v) for k, v in served.items()})


def department_for(category: str | None, community_id: int | None = None,
                   settings: dict | None = None, *, session: Session) -> Department | None:
    """The active department that receives ``category`` in ``community_id``, if any."""
    return load_routes(session=session).serving(category, community_id, settings or {})


def get_department(department_id: int | None, *, session: Session) -> Department | None:
    return session.get(Department, department_id) if department_id else None


@dataclass(frozen=True)
class Gap:
    """A category that no department receives in some communities, and what waits because of it."""

    category: str
    label: str
    communities: tuple[str, ...]
    waiting: int  # complaints of this category there, waiting to be dispatched


def gaps(settings: dict, community_ids: frozenset[int] | None = None, *, session: Session) -> list[Gap]:
    """Categories without a department in the given communities (None: every community)."""
    routes = load_routes(session=session)
    query = select(Community.id, Community.name).order_by(Community.name)
    if community_ids is not None:
        query = query.where(Community.id.in_(community_ids or {-1}))
    communities = session.exec(query).all()
    waiting = _waiting([cid for cid, _ in communities], session=session)
    found = []
    for category in all_categories(settings):
        missing = [(cid, name) for cid, name in communities if routes.serving(category.code, cid, settings) is None]
        if missing:
            found.append(Gap(category.code, short_name(settings, category.code), tuple(n for _, n in missing),
                             sum(waiting.get((category.code, cid), 0) for cid, _ in missing)))
    return found


def _waiting(community_ids: list[int], *, session: Session) -> dict[tuple[str, int], int]:
    rows = session.exec(select(Complaint.category, Complaint.community_id, func.count())
                        .where(Complaint.state.in_(WAITING_STATES), Complaint.department_id.is_(None),
                               Complaint.community_id.in_(community_ids or [-1]))
                        .group_by(Complaint.category, Complaint.community_id)).all()
    return {(category, cid): n for category, cid, n in rows}
