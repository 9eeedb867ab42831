"""Renovation projects in the console: the city overview, a community's project page, its stages and new items.

Workers see the communities they serve, admins all.  Views parse the form, call
``handlers.projects`` and commit once; every change is audited.
"""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from sqlmodel import select

from bot import db
from bot.console import bp, nav
from bot.console.auth import actor, audit, require_community, roles_required, visible_community_ids
from bot.runtime import now, render
from handlers.projects import editing, overview, service
from models import Building, Community, Complaint, ProjectItem
from models.projects import CATEGORIES, ITEM_STATUS, SCOPES, STAGE_STATUS, Project, ProjectStage, stages_of

nav.add("console.projects_city", "改造项目", ("admin", "worker"))
DATE_FIELDS = ("planned_start", "planned_end", "actual_start", "actual_end")


def parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value and value.strip() else None
    except ValueError:
        raise service.ProjectError(f"日期“{value}”格式不正确，请按 2026-05-01 填写") from None


@bp.get("/projects")
@roles_required("admin", "worker")
def projects_city():
    rows = overview.city(session=db.session(), now=now(), community_ids=visible_community_ids())
    db.session().commit()  # projects made for communities that had none
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        groups.setdefault((row["district"], row["street"]), []).append(row)
    return render_template("console/projects_city.html", groups=groups, by_stage=overview.by_stage(rows),
                           total=len(rows))


@bp.get("/projects/<int:community_id>")
@roles_required("admin", "worker")
def project_page(community_id: int):
    require_community(community_id)
    sess = db.session()
    community = sess.get(Community, community_id) or abort(404)
    project = service.current(community_id, session=sess, now=now())
    sess.commit()
    buildings = service.building_names(community_id, session=sess)
    items = [service.item_dict(i, buildings, unmasked=True) for i in service.items_of(project.id, session=sess)]
    return render_template("console/project.html", community=community, project=project,
                           stages=stages_of(project.id, session=sess), labels=STAGE_STATUS, items=items,
                           buildings=sorted(buildings.items(), key=lambda b: b[1]), categories=CATEGORIES,
                           scopes=SCOPES, item_status=ITEM_STATUS)


@bp.post("/projects/stages/<int:stage_id>")
@roles_required("admin", "worker")
def project_stage_save(stage_id: int):
    sess = db.session()
    stage = sess.get(ProjectStage, stage_id) or abort(404)
    project = sess.get(Project, stage.project_id)
    require_community(project.community_id)
    before = stage_audit(stage)
    try:
        editing.update_stage(stage, session=sess, status=request.form.get("status"),
                             note=request.form.get("note", ""),
                             **{k: parse_date(request.form.get(k)) for k in DATE_FIELDS})
    except service.ProjectError as exc:
        sess.rollback()
        flash(str(exc), "error")
        return redirect(url_for("console.project_page", community_id=project.community_id))
    audit("project.stage", f"project_stage:{stage.id}", before=before, after=stage_audit(stage),
          community_id=project.community_id)
    sess.commit()
    flash(f"已保存“{stage.name}”阶段。", "info")
    return redirect(url_for("console.project_page", community_id=project.community_id))


def stage_audit(stage: ProjectStage) -> dict:
    return {"status": stage.status, "note": stage.note, **{k: str(getattr(stage, k) or "") for k in DATE_FIELDS}}


@bp.post("/projects/<int:community_id>/items")
@roles_required("admin", "worker")
def project_item_create(community_id: int):
    require_community(community_id)
    sess = db.session()
    project = service.current(community_id, session=sess, now=now())
    ticket = request.form.get("ticket", "").strip().upper()
    try:
        if ticket:
            complaint = sess.exec(select(Complaint).where(Complaint.ticket == ticket)).first()
            if complaint is None or complaint.community_id != community_id:
                raise service.ProjectError(f"本小区没有编号为“{ticket}”的诉求")
            item = editing.item_from_complaint(complaint, project, session=sess, now=now(), by=actor(),
                                               name=request.form.get("name", ""))
        else:
            item = editing.save_item(ProjectItem(project_id=project.id), item_values(community_id),
                                     session=sess, now=now(), render=render)
    except (service.ProjectError, ValueError) as exc:
        sess.rollback()
        flash(str(exc), "error")
        return redirect(url_for("console.project_page", community_id=community_id))
    audit("project.item_create", f"project_item:{item.id}", after={"name": item.name, "ticket": ticket},
          community_id=community_id)
    sess.commit()
    flash(f"已添加改造内容“{item.name}”。", "info")
    return redirect(url_for("console.project_item", item_id=item.id))


def item_values(community_id: int) -> dict:
    """The item form's values (building checked against the community)."""
    form = request.form
    values = {k: form.get(k, "") for k in ("name", "category", "scope", "status", "unit", "contractor",
                                           "contractor_phone", "supervisor", "supervisor_phone") if k in form}
    values.update({k: form.get(k) or 0 for k in editing.MONEY_FIELDS + ("progress",) if k in form})
    if "planned_end" in form:
        values["planned_end"] = parse_date(form.get("planned_end"))
    building_id = form.get("building_id", type=int)
    building = building_id and db.session().get(Building, building_id)
    values["building_id"] = building.id if building and building.community_id == community_id else None
    if "name" in form:  # the full form: unchecked boxes are absent
        values["contacts_public"] = form.get("contacts_public") == "1"
        values["funding_public"] = form.get("funding_public") == "1"
    return values
