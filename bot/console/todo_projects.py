"""To-do section: renovation items past their planned end and not done (one query, the oldest first).

The count of all overdue items comes with the rows (a window count), so the query count
stays the same however many items are late; ``SHOWN`` items are listed, each linking to its page.
"""
from __future__ import annotations

from flask import url_for
from sqlalchemy import func
from sqlmodel import select

from bot.console.todo import Entry, Section, Viewer, scope, section
from models import Community
from models.localtime import today
from models.projects import ITEM_STATUS, Project, ProjectItem

SHOWN = 5


@section
def overdue_items(viewer: Viewer) -> Section | None:
    if viewer.role == "department":
        return None
    day = today(viewer.now)
    query = (select(ProjectItem.id, ProjectItem.name, ProjectItem.status, ProjectItem.progress,
                    ProjectItem.planned_end, Community.name, func.count().over())
             .join(Project, Project.id == ProjectItem.project_id).join(Community, Community.id == Project.community_id)
             .where(ProjectItem.planned_end < day, ProjectItem.status != "done"))
    rows = viewer.session.exec(scope(query, Project.community_id, viewer)
                               .order_by(ProjectItem.planned_end, ProjectItem.id).limit(SHOWN)).all()
    if not rows:
        return Section("overdue_items", "逾期的改造内容", "没有逾期的改造内容。")
    entries = [Entry("超过计划完工日期仍未完工", url_for("console.projects_city"), int(rows[0][6]))]
    for item_id, name, status, progress, end, community, _ in rows:
        detail = (f"计划 {end:%Y-%m-%d} 完工，已逾期 {(day - end).days} 天，"
                  f"{ITEM_STATUS.get(status, status)} {progress}%")
        entries.append(Entry(f"{community} {name}", url_for("console.project_item", item_id=item_id), None, detail))
    return Section("overdue_items", "逾期的改造内容", "没有逾期的改造内容。", entries)
