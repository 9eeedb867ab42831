"""Notices (公告/通知) for workers (their communities) and admins (all): write, list, delivery figures.

The rules live in ``handlers.notices``; this view turns the form into the service's
arguments, audits and commits once.  A notice without a time is queued at once.
"""
from __future__ import annotations

import click
from flask import abort, flash, redirect, render_template, request, url_for
from sqlmodel import select

from bot import db
from bot.cli.surveys import parse_time
from bot.console import bp, nav
from bot.console.auth import actor, audit, require_community, roles_required, visible_community_ids
from bot.urls import parse_int
from handlers.notices import figures, scope, service
from models import Community, Notice
from models.localtime import show
from models.notices import NOTICE_KINDS
from bot.runtime import now, render

nav.add("console.notices", "通知公告", ("admin", "worker"))
LIST_LIMIT = 50


def communities() -> list[Community]:
    visible = visible_community_ids()
    query = select(Community).order_by(Community.name)
    if visible is not None:
        query = query.where(Community.id.in_(sorted(visible) or [-1]))
    return list(db.session().exec(query).all())


def page(asked: dict | None = None, status: int = 200):
    """The form (scopes of one community: ``?community=<id>``, else the first) and the latest notices."""
    sess, mine = db.session(), communities()
    notices = sess.exec(select(Notice).where(Notice.community_id.in_([c.id for c in mine] or [-1]))
                        .order_by(Notice.id.desc()).limit(LIST_LIMIT)).all()
    names = {c.id: c.name for c in mine}
    wanted = parse_int((asked or {}).get("scope", "").partition("|")[0] or request.args.get("community"))
    chosen = next((c for c in mine if c.id == wanted), mine[0] if mine else None)
    options = [(f"{chosen.id}|{s}", f"{chosen.name} · {s}") for s in scope.choices(chosen.id,
                                                                                   session=sess)] if chosen else []
    return render_template("console/notices.html", rows=figures.listing(notices, session=sess), names=names,
                           chosen=chosen, options=options, kinds=NOTICE_KINDS, asked=asked or {}, show=show), status


@bp.get("/notices")
@roles_required("admin", "worker")
def notices():
    return page()


@bp.post("/notices")
@roles_required("admin", "worker")
def notice_create():
    sess, form = db.session(), request.form
    community_id, _, where = form.get("scope", "").partition("|")
    community = sess.get(Community, parse_int(community_id) or 0)
    if community is None:
        abort(404)
    require_community(community.id)
    try:
        notice = service.create(session=sess, community=community, title=form.get("title", ""),
                                body=form.get("body", ""), scope=where, kind=form.get("kind", "其他"),
                                send_at=parse_time(form.get("send_at") or None), actor=actor(), now=now())
        queued = service.send_if_due(notice, session=sess, now=now(), render=render)
    except (service.NoticeError, scope.ScopeError, click.BadParameter) as exc:
        sess.rollback()
        flash(f"未发送：{getattr(exc, 'message', None) or exc}", "error")
        return page(form.to_dict(), 400)
    audit("notice.create", f"notice:{notice.id}", community_id=community.id,
          after={"title": notice.title, "scope": where or scope.WHOLE, "send_at": show(notice.send_at)})
    sess.commit()
    done = f"已发给 {queued} 位居民（正在逐条送达）" if notice.status == "sent" else f"将于 {show(notice.send_at)} 发送"
    flash(f"通知“{notice.title}”{done}。", "info")
    return redirect(url_for("console.notices"))
