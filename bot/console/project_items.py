"""One renovation item in the console: edit it, add progress photos, link complaints to it.

A change of status or progress tells the item's followers (once each, through the outbox).
Photos are cleaned like complaint photos (no metadata kept) and stored through bot/storage.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlmodel import select

from bot import db, runtime, storage
from bot.console import bp
from bot.console.auth import actor, audit, require_community, roles_required
from bot.console.projects import item_values
from bot.runtime import now, render
from handlers.complaints.photos import PhotoError
from handlers.projects import editing, service
from models import Complaint, ProjectItem
from models.localtime import show
from models.privacy import mask_contacts
from models.projects import CATEGORIES, ITEM_STATUS, SCOPES, ComplaintItem, ItemPhoto, Project

MAX_UPLOAD = 20 * 1024 * 1024


def _item(item_id: int) -> tuple[ProjectItem, Project]:
    item = db.session().get(ProjectItem, item_id) or abort(404)
    project = db.session().get(Project, item.project_id)
    require_community(project.community_id)
    return item, project


@bp.get("/projects/items/<int:item_id>")
@roles_required("admin", "worker")
def project_item(item_id: int):
    item, project = _item(item_id)
    sess = db.session()
    buildings = service.building_names(project.community_id, session=sess)
    photos = service.photos_of([item.id], session=sess)[item.id]
    linked = sess.exec(select(Complaint).join(ComplaintItem, ComplaintItem.complaint_id == Complaint.id)
                       .where(ComplaintItem.item_id == item.id).order_by(Complaint.id)).all()
    return render_template("console/project_item.html", item=item, project=project, photos=photos, linked=linked,
                           buildings=sorted(buildings.items(), key=lambda b: b[1]), categories=CATEGORIES,
                           scopes=SCOPES, item_status=ITEM_STATUS, show=show,
                           mask_contacts=mask_contacts)


@bp.post("/projects/items/<int:item_id>")
@roles_required("admin", "worker")
def project_item_save(item_id: int):
    item, project = _item(item_id)
    sess = db.session()
    before = {"status": item.status, "progress": item.progress, "name": item.name}
    try:
        editing.save_item(item, item_values(project.community_id), session=sess, now=now(), render=render)
    except (service.ProjectError, ValueError) as exc:
        sess.rollback()
        flash(str(exc), "error")
        return redirect(url_for("console.project_item", item_id=item_id))
    audit("project.item_save", f"project_item:{item.id}", before=before,
          after={"status": item.status, "progress": item.progress, "name": item.name},
          community_id=project.community_id)
    sess.commit()
    flash("已保存。", "info")
    return redirect(url_for("console.project_item", item_id=item_id))


@bp.post("/projects/items/<int:item_id>/photos")
@roles_required("admin", "worker")
def project_item_photo(item_id: int):
    item, project = _item(item_id)
    sess = db.session()
    upload = request.files.get("photo")
    try:
        if upload is None or not upload.filename:
            raise PhotoError("请选择照片")
        photo = editing.add_photo(item, upload.read(MAX_UPLOAD + 1), session=sess, now=now(), by=actor(),
                                  storage=runtime.services().storage,
                                  caption=request.form.get("caption", ""))
    except PhotoError as exc:
        sess.rollback()
        flash(f"照片未保存：{exc}", "error")
        return redirect(url_for("console.project_item", item_id=item_id))
    audit("project.photo", f"project_item:{item.id}", after={"photo_id": photo.id}, community_id=project.community_id)
    sess.commit()
    flash("已添加进度照片。", "info")
    return redirect(url_for("console.project_item", item_id=item_id))


@bp.get("/projects/photos/<int:photo_id>")
@roles_required("admin", "worker")
def project_photo(photo_id: int):
    photo = db.session().get(ItemPhoto, photo_id) or abort(404)
    _item(photo.item_id)
    return storage.served(photo.media_key)


@bp.post("/projects/items/<int:item_id>/complaints")
@roles_required("admin", "worker")
def project_item_link(item_id: int):
    item, project = _item(item_id)
    sess = db.session()
    ticket = request.form.get("ticket", "").strip().upper()
    complaint = sess.exec(select(Complaint).where(Complaint.ticket == ticket)).first() if ticket else None
    if complaint is None or complaint.community_id != project.community_id:
        flash(f"本小区没有编号为“{ticket}”的诉求。", "error")
        return redirect(url_for("console.project_item", item_id=item_id))
    unlink = request.form.get("unlink") == "1"
    editing.link_complaint(complaint, None if unlink else item, session=sess, by=actor())
    audit("project.link_complaint", f"project_item:{item.id}", after={"ticket": ticket, "unlink": unlink},
          community_id=project.community_id)
    sess.commit()
    flash(f"已{'取消关联' if unlink else '关联'}诉求 {ticket}。", "info")
    return redirect(url_for("console.project_item", item_id=item_id))
