"""Binding requests that did not match the roster: a worker approves or rejects them."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from bot import db
from bot.console import bp
from bot.console.auth import actor, audit, now, require_community, roles_required, visible_community_ids
from bot.console.views import render_chat
from handlers.households import membership, queries
from models import BindingRequest, Building, Household


@bp.get("/bindings")
@roles_required("admin", "worker")
def binding_requests():
    sess = db.session()
    rows = queries.pending_requests(sess, visible_community_ids())
    places = {h.id: membership.describe(sess, h) for _, h, _ in rows}
    return render_template("console/bindings.html", rows=rows, places=places)


@bp.post("/bindings/<int:request_id>")
@roles_required("admin", "worker")
def binding_decide(request_id: int):
    sess = db.session()
    req = sess.get(BindingRequest, request_id)
    household = sess.get(Household, req.household_id) if req else None
    if req is None or household is None:
        abort(404)
    require_community(household.community_id)
    decision = request.form.get("decision")
    if decision not in ("approve", "reject") or req.status != "pending":
        abort(400)
    note = request.form.get("note", "").strip()[:200]
    membership.decide_request(sess, req, approve=decision == "approve", decided_by=actor(), render=render_chat,
                              note=note, now=now())
    audit(f"binding.{decision}", f"binding_request:{req.id}", before={"status": "pending"},
          after={"status": req.status, "household_id": household.id, "note": note},
          community_id=household.community_id)
    sess.commit()
    place = f"{sess.get(Building, household.building_id).name}"
    flash(f"已{'通过' if decision == 'approve' else '拒绝'}（{place}），已通知居民。", "info")
    return redirect(url_for("console.binding_requests"))
