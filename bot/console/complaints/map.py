"""诉求地图: one community's buildings as a plan with complaints as markers, and its hot spots.

Drawn as inline SVG on the server (no tiles, no scripts, nothing fetched from outside): the
plan comes from building positions an admin sets once (``/map/buildings``), or from the
complaints' own coordinates when none are set.  Scoped like the queue.
"""
from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from sqlmodel import select

from bot.complaints.services import current_env
from bot.console.auth import audit, roles_required
from bot.console.complaints import STAFF_ROLES, bp, viewer_scope
from bot.console.complaints.queue import lookups
from handlers.complaints import hotspots, places, plan, queries
from models import localtime
from handlers.households.positions import PositionRow, buildings_of, save_positions
from models import Community, Complaint

PERIODS = {"30": 30, "90": 90, "365": 365, "all": None}
MAX_MARKERS = 2000
POSITION_FIELDS = ("plan_x", "plan_y", "latitude", "longitude")


def chosen_community(names: dict[int, str]) -> int | None:
    """The community asked for, if the viewer may see it; else the first one they may see."""
    raw = request.args.get("community", "")
    if raw.isdigit() and int(raw) in names:
        return int(raw)
    if raw:
        abort(404)
    return next(iter(names), None)


def map_complaints(env, community_id: int, state_group: str, category: str, days: int | None) -> list[Complaint]:
    query = queries.scoped(select(Complaint), viewer_scope()).where(Complaint.community_id == community_id)
    query = queries.filtered(query, queries.Filters(category=category), env.now)
    if state_group in plan.COLOUR_OF:
        query = query.where(Complaint.state.in_([s for s, g in plan.GROUP_OF.items() if g == state_group]))
    if days:
        query = query.where(Complaint.created_at >= env.now - timedelta(days=days))
    return list(env.session.exec(query.order_by(Complaint.created_at.desc()).limit(MAX_MARKERS)).all())


def recent_complaints(env, community_id: int, category: str) -> list[Complaint]:
    """What hot spots are made of: reports of the recent days, rejected ones left out."""
    query = queries.scoped(select(Complaint), viewer_scope()).where(
        Complaint.community_id == community_id, Complaint.state != "rejected",
        Complaint.created_at >= env.now - timedelta(days=env.cfg.hotspot_days))
    query = queries.filtered(query, queries.Filters(category=category), env.now)
    return list(env.session.exec(query.limit(MAX_MARKERS)).all())


@bp.get("/map")
@roles_required(*STAFF_ROLES)
def complaint_map():
    env, names = current_env(), lookups()
    community_id = chosen_community(names["communities"])
    args = {"state": request.args.get("state", ""), "category": request.args.get("category", ""),
            "period": request.args.get("period", "90")}
    if community_id is None:
        return render_template("console/complaints/map.html", plan=None, community_id=None, args=args,
                               periods=PERIODS, groups=plan.STATE_GROUPS, spots=[], spot_names={}, **names)
    shown = map_complaints(env, community_id, args["state"], args["category"], PERIODS.get(args["period"], 90))
    recent = recent_complaints(env, community_id, args["category"])
    spots = places.spots_of(community_id, session=env.session)
    placed = places.place_all(list({c.id: c for c in shown + recent}.values()), spots, community_id,
                              near_m=env.cfg.hotspot_radius_m, session=env.session)
    return render_template(
        "console/complaints/map.html", plan=plan.layout(spots, shown, placed), community_id=community_id,
        args=args, periods=PERIODS, groups=plan.STATE_GROUPS, spots=spots, spot_names={s.id: s.name for s in spots},
        hot=hotspots.hot_spots(recent, placed, radius_m=env.cfg.hotspot_radius_m), cfg=env.cfg, tz=localtime.zone(),
        positioned=any(s.on_grid or s.on_earth for s in spots), **names)


@bp.route("/map/buildings", methods=["GET", "POST"])
@roles_required("admin")
def building_positions():
    env = current_env()
    raw = request.args.get("community", "")
    community = env.session.get(Community, int(raw)) if raw.isdigit() and len(raw) < 10 else None
    if community is None:
        abort(404)
    if request.method == "POST":
        rows = [PositionRow(b.id, *(request.form.get(f"{name}_{b.id}", "") for name in POSITION_FIELDS))
                for b in buildings_of(community.id, session=env.session)]
        errors = save_positions(community.id, rows, session=env.session)
        if not errors:
            audit("building.positions", f"community:{community.id}", community_id=community.id)
            env.session.commit()
            flash("楼栋位置已保存", "ok")
            return redirect(url_for("console_complaints.complaint_map", community=community.id))
        env.session.rollback()
        flash("没有保存：" + "；".join(errors), "error")
    return render_template("console/complaints/map_buildings.html", community=community, form=request.form,
                           buildings=buildings_of(community.id, session=env.session), fields=POSITION_FIELDS)
