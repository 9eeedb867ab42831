"""``/h5/project``: the resident's community renovation — timeline of stages, items with progress and photos.

Opened from the signed link that 进度 sends in chat.  A resident may follow (关注) an item and
is told through the outbox when it moves (handlers/projects/editing.py).  Contacts are masked
unless the console made them public.
"""
from __future__ import annotations

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from sqlmodel import select

from bot import db, storage
from bot.h5 import bp
from bot.runtime import now
from handlers.projects import editing, links, service
from models import Community, Household, ProjectItem
from models.households import active_binding
from models.localtime import show as show_time
from models.localtime import today
from models.projects import STAGE_STATUS, ItemFollow, ItemPhoto, Project, stages_of


def _identify(token: str) -> tuple[int, Household]:
    """(resident id, household) from the signed link, or ProjectError."""
    secret = current_app.config["LINLI"]["app"]["secret_key"]
    resident_id = links.read_token(secret, token, now_s=now().timestamp())
    binding = active_binding(resident_id, session=db.session())
    household = binding and db.session().get(Household, binding.household_id)
    if household is None:
        raise service.ProjectError("请先在公众号里回复“绑定”绑定您家的门牌，再查看改造进度")
    return resident_id, household


@bp.get("/project")
def project_page():
    token = request.args.get("t", "")
    session = db.session()
    try:
        resident_id, household = _identify(token)
    except service.ProjectError as exc:
        return render_template("h5/message.html", message=str(exc)), 403
    project = service.current(household.community_id, session=session, now=now())
    session.commit()
    stages = stages_of(project.id, session=session)
    buildings = service.building_names(household.community_id, session=session)
    rows = service.items_of(project.id, session=session)
    mine = {i.id for i in service.items_of(project.id, session=session, building_id=household.building_id,
                                           unit=household.unit, everything=False)}
    followed = set(session.exec(select(ItemFollow.item_id).where(ItemFollow.resident_id == resident_id)).all())
    photos = service.photos_of([i.id for i in rows], session=session)
    items = [dict(service.item_dict(i, buildings, today=today(now())), mine=i.id in mine, followed=i.id in followed,
                  photos=[{"id": p.id, "caption": p.caption, "at": show_time(p.at, "%Y-%m-%d")} for p in photos[i.id]])
             for i in sorted(rows, key=lambda i: i.id not in mine)]
    community = session.get(Community, household.community_id)
    resp = Response(render_template("h5/project.html", project=project, community=community, stages=stages,
                                    labels=STAGE_STATUS,
                                    current=service.current_stage(stages), items=items, token=token))
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.post("/project/items/<int:item_id>/follow")
def project_follow(item_id: int):
    token = request.form.get("t", "")
    session = db.session()
    try:
        resident_id, household = _identify(token)
    except service.ProjectError as exc:
        return render_template("h5/message.html", message=str(exc)), 403
    _item_of(item_id, household)
    editing.follow(item_id, resident_id, session=session, on=request.form.get("on") == "1")
    session.commit()
    return redirect(url_for("h5.project_page", t=token, _anchor=f"item-{item_id}"), code=303)


@bp.get("/project/photos/<int:photo_id>")
def project_photo(photo_id: int):
    try:
        _, household = _identify(request.args.get("t", ""))
    except service.ProjectError:
        abort(403)
    photo = db.session().get(ItemPhoto, photo_id)
    if photo is None:
        abort(404)
    _item_of(photo.item_id, household)
    return storage.served(photo.media_key)


def _item_of(item_id: int, household: Household) -> ProjectItem:
    """The item, when it belongs to a project of the resident's community (else 404)."""
    item = db.session().get(ProjectItem, item_id)
    project = item and db.session().get(Project, item.project_id)
    if project is None or project.community_id != household.community_id:
        abort(404)
    return item
