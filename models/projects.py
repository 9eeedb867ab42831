"""The renovation project of a community: its stages, its items, their photos and followers.

Every community has a project from the moment it exists (``ensure_project``), with the
standard stages (``STAGES``) and nothing to set up; a community may hold more projects.
A stage that a survey decides names the survey phase (``phase``) and closes from that
run's gate (handlers/projects/gates.py).  A complaint links to an item through
``complaint_item`` (the complaint table itself is not touched).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Session, SQLModel, select

from models.base import utcnow

# (name, survey phase deciding it or ""), in order.
STAGES: tuple[tuple[str, str], ...] = (
    ("申报/纳入计划", ""), ("意愿征询", "willingness"), ("方案设计与征求意见", "plan_opinion"),
    ("方案公示/表决", "plan_vote"), ("施工", ""), ("竣工验收与满意度", "satisfaction"), ("长效管理", ""))
STAGE_STATUS = {"pending": "未开始", "active": "进行中", "done": "已完成"}
CATEGORIES = {"basic": "基础类", "improve": "完善类", "upgrade": "提升类"}
ITEM_STATUS = {"planned": "计划中", "working": "施工中", "paused": "暂停", "done": "已完工"}
SCOPES = {"community": "全小区", "building": "楼栋", "stairwell": "单元"}
FUNDING = {"fund_government": "政府补助", "fund_residents": "居民出资", "fund_maintenance": "维修资金",
           "fund_enterprises": "企业投入"}
DEFAULT_PROJECT_NAME = "老旧小区改造"


class Project(SQLModel, table=True):
    """One renovation of one community (the first is made with the community)."""

    __tablename__ = "project"

    id: Optional[int] = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    name: str = Field(default=DEFAULT_PROJECT_NAME, max_length=100)
    created_at: datetime = Field(default_factory=utcnow)


class ProjectStage(SQLModel, table=True):
    """A step of the project; ``phase`` names the survey phase that decides it (or "")."""

    __tablename__ = "project_stage"
    __table_args__ = (UniqueConstraint("project_id", "order"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    order: int
    name: str = Field(max_length=64)
    phase: str = Field(default="", max_length=16)
    status: str = Field(default="pending", max_length=16)  # STAGE_STATUS
    planned_start: Optional[date] = None
    planned_end: Optional[date] = None
    actual_start: Optional[date] = None
    actual_end: Optional[date] = None
    run_id: Optional[int] = Field(default=None, foreign_key="survey_run.id")
    note: str = Field(default="", max_length=200)


class ProjectItem(SQLModel, table=True):
    """A piece of work (roof, pipes, the elevator of 3号楼2单元) with its progress and money."""

    __tablename__ = "project_item"

    id: Optional[int] = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    name: str = Field(max_length=100)
    category: str = Field(default="basic", max_length=16)  # CATEGORIES
    scope: str = Field(default="community", max_length=16)  # SCOPES
    building_id: Optional[int] = Field(default=None, foreign_key="building.id")
    unit: str = Field(default="", max_length=16)
    status: str = Field(default="planned", max_length=16)  # ITEM_STATUS
    progress: int = 0  # percent
    planned_end: Optional[date] = None
    contractor: str = Field(default="", max_length=100)
    contractor_phone: str = Field(default="", max_length=32)
    supervisor: str = Field(default="", max_length=100)
    supervisor_phone: str = Field(default="", max_length=32)
    contacts_public: bool = False  # the console decides whether residents see them unmasked
    budget: float = 0  # 万元
    fund_government: float = 0
    fund_residents: float = 0
    fund_maintenance: float = 0
    fund_enterprises: float = 0
    funding_public: bool = True
    updated_at: datetime = Field(default_factory=utcnow)


class ItemPhoto(SQLModel, table=True):
    """A progress photo of an item (stored through bot/storage under ``media_key``)."""

    __tablename__ = "item_photo"

    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="project_item.id", index=True)
    media_key: str = Field(max_length=200)
    caption: str = Field(default="", max_length=200)
    at: datetime = Field(default_factory=utcnow)
    by: str = Field(default="system", max_length=64)


class ItemFollow(SQLModel, table=True):
    """A resident following an item (关注): told when it moves."""

    __tablename__ = "item_follow"
    __table_args__ = (UniqueConstraint("item_id", "resident_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="project_item.id", index=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)


class ComplaintItem(SQLModel, table=True):
    """A complaint linked to the item that answers it (one item per complaint)."""

    __tablename__ = "complaint_item"

    complaint_id: int = Field(foreign_key="complaint.id", primary_key=True)
    item_id: Optional[int] = Field(default=None, foreign_key="project_item.id", index=True)
    linked_at: datetime = Field(default_factory=utcnow)
    linked_by: str = Field(default="system", max_length=64)


def ensure_project(community_id: int, *, session: Session) -> Project:
    """The community's first project, made with the standard stages when missing (flushes)."""
    found = session.exec(select(Project).where(Project.community_id == community_id)
                         .order_by(Project.id)).first()
    if found is not None:
        return found
    project = Project(community_id=community_id)
    session.add(project)
    session.flush()
    for order, (name, phase) in enumerate(STAGES, start=1):
        session.add(ProjectStage(project_id=project.id, order=order, name=name, phase=phase,
                                 status="active" if order == 1 else "pending"))
    session.flush()
    return project


def stages_of(project_id: int, *, session: Session) -> list[ProjectStage]:
    return list(session.exec(select(ProjectStage).where(ProjectStage.project_id == project_id)
                             .order_by(ProjectStage.order)))
