"""Communities: the ones the staff member serves (all for admins); admins add new ones."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlmodel import select

from bot import db
from bot.console import bp
from bot.console.auth import audit, roles_required, visible_community_ids
from handlers.households import queries
from models import Community
from models.projects import ensure_project


@bp.get("/communities")
@roles_required("admin", "worker")
def communities():
    sess = db.session()
    rows = queries.communities_visible(visible_community_ids(), session=sess)
    counts = queries.community_counts([c.id for c in rows], session=sess)
    return render_template("console/communities.html", communities=rows, counts=counts)


@bp.post("/communities")
@roles_required("admin")
def community_create():
    sess = db.session()
    name = request.form.get("name", "").strip()[:100]
    code = request.form.get("code", "").strip()[:32] or None
    if not name:
        flash("请填写小区名称。", "error")
        return redirect(url_for("console.communities"))
    if sess.exec(select(Community).where((Community.name == name) | (Community.code == code))).first():
        flash("小区名称或编码已存在。", "error")
        return redirect(url_for("console.communities"))
    community = Community(name=name, code=code, district=request.form.get("district", "").strip()[:100],
                          hotline=request.form.get("hotline", "").strip()[:32])
    sess.add(community)
    sess.flush()
    ensure_project(community.id, session=sess)
    audit("community.create", f"community:{community.id}", after={"name": name, "code": code},
          community_id=community.id)
    sess.commit()
    flash(f"已添加小区“{name}”。", "info")
    return redirect(url_for("console.communities"))
