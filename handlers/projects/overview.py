"""The city's renovation at a glance (the province's "dynamic monitoring"): one row per community.

Per community: its first project's current stage, survey gates passed and failing (read from
the stages, which the gates close), open complaints and overdue items; grouped by district and
street (``Community.district`` holds "新华区 幸福街道").  A few grouped queries, not one per community.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from handlers.complaints.states import OPEN_STATES
from handlers.projects.service import current_stage
from models import Community, Complaint
from models.localtime import today
from models.projects import STAGE_STATUS, Project, ProjectItem, ProjectStage, ensure_project


def city(*, session: Session, now: datetime, community_ids: frozenset[int] | None = None) -> list[dict]:
    """Rows sorted by district, street, community; ``community_ids`` None: every community."""
    query = select(Community).order_by(Community.district, Community.name)
    if community_ids is not None:
        query = query.where(Community.id.in_(list(community_ids) or [-1]))
    communities = session.exec(query).all()
    projects = _first_projects(communities, session=session)
    stages = defaultdict(list)
    for stage in session.exec(select(ProjectStage).where(ProjectStage.project_id.in_(list(projects.values()) or [-1]))
                              .order_by(ProjectStage.order)):
        stages[stage.project_id].append(stage)
    complaints = dict(session.exec(select(Complaint.community_id, func.count()).where(
        Complaint.state.in_(OPEN_STATES)).group_by(Complaint.community_id)).all())
    overdue = Counter(session.exec(select(Project.community_id).join(ProjectItem, ProjectItem.project_id == Project.id)
                                   .where(ProjectItem.planned_end < today(now), ProjectItem.status != "done")).all())
    return [_row(c, stages[projects[c.id]], complaints.get(c.id, 0), overdue[c.id]) for c in communities]


def _first_projects(communities: list[Community], *, session: Session) -> dict[int, int]:
    """community id → its first project's id (made for a community that has none yet)."""
    found: dict[int, int] = {}
    ids = [c.id for c in communities]
    for community_id, project_id in session.exec(select(Project.community_id, func.min(Project.id)).where(
            Project.community_id.in_(ids or [-1])).group_by(Project.community_id)).all():
        found[community_id] = project_id
    for community_id in ids:
        if community_id not in found:
            found[community_id] = ensure_project(community_id, session=session).id
    return found


def _row(community: Community, stages: list[ProjectStage], open_complaints: int, overdue: int) -> dict:
    district, _, street = (community.district or "").strip().partition(" ")
    stage = current_stage(stages)
    decided = [s for s in stages if s.run_id is not None]
    return {"community_id": community.id, "community": community.name, "district": district or "未填写",
            "street": street.strip() or "未填写", "stage": stage.name, "stage_order": stage.order,
            "stage_status": STAGE_STATUS[stage.status],
            "gates_passed": [s.name for s in decided if s.status == "done"],
            "gates_failing": [s.name for s in decided if s.status != "done" and s.note.startswith("调查未达到")],
            "open_complaints": open_complaints, "overdue_items": overdue}


def by_stage(rows: list[dict]) -> list[tuple[str, int]]:
    """How many communities stand at each stage, in the stages' order."""
    counts = Counter((r["stage_order"], r["stage"]) for r in rows)
    return [(name, n) for (_, name), n in sorted(counts.items())]
