"""Figures for the console: volume, on-time rate and satisfaction, by category, department, community.

On time = resolved within the handling time limit (``resolved_on_time``).
Satisfaction = ratings "solved" among rated complaints ("partly" is not counted), and the
mean score.  Everything is computed in SQL with GROUP BY over the scope.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func
from sqlmodel import Session, select

from handlers.complaints.queries import Scope, scoped
from models import Community, Complaint, Department

DIMENSIONS = {"category": Complaint.category, "department": Complaint.department_id,
              "community": Complaint.community_id}


@dataclass(frozen=True)
class Row:
    key: object
    label: str
    total: int
    resolved: int
    on_time: int
    rated: int
    satisfied: int
    score: float | None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.resolved if self.resolved else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.rated if self.rated else None


def by(dimension: str, scope: Scope, since: datetime | None, labels: dict, *, session: Session) -> list[Row]:
    column = DIMENSIONS[dimension]
    query = select(column, func.count(), func.count(Complaint.resolved_at),
                   func.sum(case((Complaint.resolved_on_time == True, 1), else_=0)),  # noqa: E712
                   func.count(Complaint.rating_result),
                   func.sum(case((Complaint.rating_result == "solved", 1), else_=0)),
                   func.avg(Complaint.rating_score)).group_by(column)
    query = scoped(query, scope)
    if since is not None:
        query = query.where(Complaint.submitted_at >= since)  # the period is by submission, not drafting
    rows = [Row(key, labels.get(key, "未指定" if key is None else str(key)), total, resolved, on_time or 0, rated,
                satisfied or 0, float(score) if score is not None else None)
            for key, total, resolved, on_time, rated, satisfied, score in session.exec(query).all()]
    return sorted(rows, key=lambda r: -r.total)


def label_maps(category_names: dict[str, str], *, session: Session) -> dict[str, dict]:
    return {"category": category_names,
            "department": dict(session.exec(select(Department.id, Department.name)).all()),
            "community": dict(session.exec(select(Community.id, Community.name)).all())}
