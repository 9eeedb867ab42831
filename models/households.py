"""Buildings, households, who lives where, departments and staff.

One household, one vote: surveys count households, complaints belong to a
community through the resident's household (or the community they chose).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, Session, SQLModel, select

from models.base import json_column, utcnow

HOUSEHOLD_STATUSES = ("occupied", "vacant", "rented", "non_residential")
# Why a binding waits for a worker: the answer did not match the roster (the resident asked),
# the roster has nothing to check against, another owner is already bound, or an owner claim
# whose only proof is the owner's name (known to any neighbour).
REQUEST_REASONS = ("mismatch", "no_roster", "second_owner", "name_only")
VOTER_POLICIES = ("any_verified", "owner_only")
STAFF_ROLES = ("admin", "worker", "department")


class Building(SQLModel, table=True):
    __tablename__ = "building"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    name: str = Field(max_length=32)  # 楼栋, e.g. "3号楼" or "3"
    sort_key: int = 0
    # Where the building stands on the community's plan (the complaint map), set once by an admin:
    # a cell on a grid drawn with north up, and/or its coordinates (WGS-84, as phones report them).
    plan_x: Optional[float] = None
    plan_y: Optional[float] = None
    latitude: Optional[float] = None
    longitude: Optional[float] = None


class Household(SQLModel, table=True):
    """A dwelling (户): building + unit + room.  ``status`` decides eligibility."""

    __tablename__ = "household"
    # The list index serves the console's keyset pagination (community, building, unit, room).
    __table_args__ = (UniqueConstraint("building_id", "unit", "room"),
                      Index("ix_household_list", "community_id", "building_id", "unit", "room"))

    id: Optional[int] = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    building_id: int = Field(foreign_key="building.id", index=True)
    unit: str = Field(default="", max_length=16)  # 单元
    room: str = Field(max_length=16)  # 房号
    status: str = Field(default="occupied", max_length=16, index=True)
    floor_area: Optional[float] = None
    owner_name: str = Field(default="", max_length=64)  # from the roster; personal data
    phone: str = Field(default="", max_length=32)  # from the roster; personal data
    # Who owns it, for owners' decisions (Civil Code art. 278): the keyed hash of the owner's ID number
    # (models.privacy.id_number_key, never the number itself), models.privacy.DEVELOPER_OWNER for an unsold
    # developer unit, or None (unknown: the flat counts as its own owner).
    owner_key: Optional[str] = Field(default=None, max_length=64, index=True)
    voter_policy: str = Field(default="any_verified", max_length=16)
    answers_changeable: bool = True
    updated_at: datetime = Field(default_factory=utcnow)


class Binding(SQLModel, table=True):
    """Resident ↔ household.  Ended bindings are kept (``ended_at``) as history."""

    __tablename__ = "binding"

    id: Optional[int] = Field(default=None, primary_key=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    household_id: int = Field(foreign_key="household.id", index=True)
    role: str = Field(default="owner", max_length=16)  # owner | tenant | family
    verified_by: Optional[str] = Field(default=None, max_length=64)  # "roster" or a staff username
    verified_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow)
    ended_at: Optional[datetime] = None
    ended_by: Optional[str] = Field(default=None, max_length=64)  # None: the resident; else a staff username
    end_reason: str = Field(default="", max_length=200)  # given by staff when they end it


class BindingRequest(SQLModel, table=True):
    """A binding that did not match the roster, waiting for a worker."""

    __tablename__ = "binding_request"

    id: Optional[int] = Field(default=None, primary_key=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    household_id: int = Field(foreign_key="household.id", index=True)
    role: str = Field(default="owner", max_length=16)  # owner | tenant | family
    claimed_name: str = Field(default="", max_length=64)
    reason: str = Field(default="mismatch", max_length=16)  # one of REQUEST_REASONS
    proof: str = Field(default="", max_length=16)  # what matched the roster: "", "name" or "phone"
    status: str = Field(default="pending", max_length=16, index=True)  # pending|approved|rejected
    decided_by: Optional[str] = Field(default=None, max_length=64)
    decided_at: Optional[datetime] = None
    note: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


class Department(SQLModel, table=True):
    """A department that handles dispatched complaints (物业、市政、街道城建…), kept by admins.

    It receives complaints of ``categories`` (codes) in the communities linked by
    ``department_community`` (none: every community); its supervisors
    (``department_supervisor``) are told when a complaint passes its time limit.
    A retired department stays for history and receives nothing new.
    """

    __tablename__ = "department"

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    categories: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    phone: str = Field(default="", max_length=32)
    phone_public: bool = False  # shown to residents when a complaint is dispatched to it
    hours: str = Field(default="", max_length=100)  # working hours as people write them
    created_at: datetime = Field(default_factory=utcnow)
    retired_at: Optional[datetime] = Field(default=None)


class DepartmentCommunity(SQLModel, table=True):
    """A community a department serves (a department with none serves all)."""

    __tablename__ = "department_community"

    department_id: int = Field(foreign_key="department.id", primary_key=True)
    community_id: int = Field(foreign_key="community.id", primary_key=True)


class StaffUser(SQLModel, table=True):
    __tablename__ = "staff_user"

    id: Optional[int] = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(default="", max_length=64)
    password_hash: str = Field(max_length=256)
    role: str = Field(max_length=16)  # admin | worker | department
    department_id: Optional[int] = Field(default=None, foreign_key="department.id")
    openid: Optional[str] = Field(default=None, max_length=64)  # for supervisor escalations
    active: bool = True
    # Part of every session's key: raising it (logout, password change, disabling) ends them all.
    session_generation: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow)


class DepartmentSupervisor(SQLModel, table=True):
    """A staff account that supervises a department: escalations of its overdue complaints reach them."""

    __tablename__ = "department_supervisor"

    department_id: int = Field(foreign_key="department.id", primary_key=True)
    staff_id: int = Field(foreign_key="staff_user.id", primary_key=True)


class StaffCommunity(SQLModel, table=True):
    """The communities a worker serves."""

    __tablename__ = "staff_community"

    staff_id: int = Field(foreign_key="staff_user.id", primary_key=True)
    community_id: int = Field(foreign_key="community.id", primary_key=True)


class AuditLog(SQLModel, table=True):
    """Who changed what, before and after, when; admins read it in the console."""

    __tablename__ = "audit_log"

    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=64)  # staff username, "system" or "resident:<id>"
    action: str = Field(max_length=64)  # e.g. household.update, roster.import, pii.view
    target: str = Field(default="", max_length=128)  # e.g. household:42
    before: Optional[dict[str, Any]] = Field(default=None, sa_column=json_column(nullable=True))
    after: Optional[dict[str, Any]] = Field(default=None, sa_column=json_column(nullable=True))
    community_id: Optional[int] = Field(default=None, index=True)


class LoginFailure(SQLModel, table=True):
    """A failed console login, counted per account+address, address and account to throttle guessing."""

    __tablename__ = "login_failure"

    id: Optional[int] = Field(default=None, primary_key=True)
    key: str = Field(max_length=160, index=True)  # "pair:<ip>|<username>", "addr:<ip>" or "acct:<username>"
    at: datetime = Field(default_factory=utcnow)


class BindingAttempt(SQLModel, table=True):
    """A wrong answer in the binding dialogue; too many in a window refuse binding for a while."""

    __tablename__ = "binding_attempt"

    id: Optional[int] = Field(default=None, primary_key=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    household_id: Optional[int] = Field(default=None, foreign_key="household.id")
    at: datetime = Field(default_factory=utcnow)


class ImportJob(SQLModel, table=True):
    """A roster upload from the console: status and error report survive the worker process."""

    __tablename__ = "import_job"

    id: Optional[int] = Field(default=None, primary_key=True)
    token: str = Field(max_length=32, unique=True)
    filename: str = Field(default="", max_length=200)
    status: str = Field(default="queued", max_length=16)  # queued|running|failed|done
    created_by: str = Field(default="", max_length=64)
    total: int = 0
    result: Optional[dict[str, Any]] = Field(default=None, sa_column=json_column(nullable=True))
    errors: Optional[list[Any]] = Field(default=None, sa_column=json_column(nullable=True))
    created_at: datetime = Field(default_factory=utcnow)
    finished_at: Optional[datetime] = None


def active_binding(resident_id: int, *, session: Session) -> Optional[Binding]:
    """The resident's current binding (not ended), newest first: the one query for it."""
    query = select(Binding).where(Binding.resident_id == resident_id, Binding.ended_at.is_(None))
    return session.exec(query.order_by(Binding.created_at.desc(), Binding.id.desc())).first()


def household_bindings(household_id: int, *, session: Session, verified_only: bool = True) -> list[Binding]:
    """The household's current bindings (not ended), oldest first."""
    query = select(Binding).where(Binding.household_id == household_id, Binding.ended_at.is_(None))
    if verified_only:
        query = query.where(Binding.verified_at.is_not(None))
    return list(session.exec(query.order_by(Binding.created_at, Binding.id)))
