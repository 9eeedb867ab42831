"""Bindings a worker decides: requests (mismatches, owner claims) and ending a binding.

Both are audited and the resident is told through the outbox.  Requests are listed
on their own page and on the household's page; ``back=household`` returns there.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from bot import db
from bot.console import bp
from bot.console.auth import actor, audit, require_community, roles_required, visible_community_ids
from bot.console.households import visible_household
from bot.runtime import now, render
from handlers.households import membership, queries
from models import Binding, BindingRequest, Household


@bp.get("/bindings")
@roles_required("admin", "worker")
def binding_requests():
    sess = db.session()
    rows = queries.pending_requests(visible_community_ids(), session=sess)
    places = {h.id: membership.describe(h, session=sess) for _, h, _ in rows}
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
    membership.decide_request(req, approve=decision == "approve", decided_by=actor(), render=render,
                              note=note, now=now(), session=sess)
    audit(f"binding.{decision}", f"binding_request:{req.id}", before={"status": "pending"},
          after={"status": req.status, "household_id": household.id, "role": req.role, "reason": req.reason,
                 "note": note},
          community_id=household.community_id)
    sess.commit()
    place = membership.describe(household, session=sess)
    flash(f"已{'通过' if decision == 'approve' else '拒绝'}（{place}），已通知居民。", "info")
    if request.form.get("back") == "household":
        return redirect(url_for("console.household", household_id=household.id))
    return redirect(url_for("console.binding_requests"))


@bp.post("/households/<int:household_id>/bindings/<int:binding_id>/end")
@roles_required("admin", "worker")
def binding_end(household_id: int, binding_id: int):
    """End a resident's binding with a reason (required); audited, the resident is told."""
    household = visible_household(household_id)
    sess = db.session()
    binding = sess.get(Binding, binding_id)
    if binding is None or binding.household_id != household.id:
        abort(404)
    reason = request.form.get("reason", "").strip()[:200]
    if binding.ended_at is not None or not reason:
        flash("请填写解除绑定的原因。" if not reason else "这条绑定已经解除。", "error")
        return redirect(url_for("console.household", household_id=household.id))
    membership.end_binding(binding, reason=reason, ended_by=actor(), render=render, now=now(), session=sess)
    audit("binding.end", f"binding:{binding.id}",
          before={"resident_id": binding.resident_id, "role": binding.role, "household_id": household.id},
          after={"ended": True, "reason": reason}, community_id=household.community_id)
    sess.commit()
    flash(f"已解除绑定（{membership.describe(household, session=sess)}），已通知居民。", "info")
    return redirect(url_for("console.household", household_id=household.id))
