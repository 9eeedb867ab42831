"""Households: list (search, filters, keyset pages), one household, its residents, export."""
from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for

from bot import db
from bot.console import bp
from bot.console.auth import audit, require_community, roles_required, visible_community_ids
from bot.console.views import POLICY_LABELS, STATUS_LABELS, int_arg
from bot.runtime import now
from handlers.households import queries
from handlers.households.phones import PhoneError, normalize_phone
from models import Building, Community, Household
from models.households import HOUSEHOLD_STATUSES, VOTER_POLICIES
from models.privacy import mask_phone


def current_filter() -> queries.HouseholdFilter:
    community_id, building_id = int_arg("community"), int_arg("building")
    if community_id is not None:
        require_community(community_id)
    status = request.args.get("status") or None
    return queries.HouseholdFilter(community_ids=visible_community_ids(), community_id=community_id,
                                   building_id=building_id, status=status if status in HOUSEHOLD_STATUSES else None,
                                   search=request.args.get("q", "").replace("\x00", "")[:64])


@bp.get("/households")
@roles_required("admin", "worker")
def households():
    sess, f = db.session(), current_filter()
    size = int(current_app.config["LINLI"]["console"]["page_size"])
    page = queries.household_page(f, after=cursor_arg("after"), before=cursor_arg("before"), size=size, session=sess)
    communities = queries.communities_visible(f.community_ids, session=sess)
    buildings = queries.buildings_of(f.community_id, session=sess) if f.community_id else []
    names = {c.id: c.name for c in communities}
    args = {k: v for k, v in request.args.items() if k not in ("after", "before") and v}
    html = render_template("console/households.html", page=page, f=f, communities=communities,
                           buildings=buildings, community_names=names, statuses=STATUS_LABELS, args=args,
                           encode=queries.encode_cursor)
    audit_phone_search(f)
    sess.commit()
    return html


def audit_phone_search(f: queries.HouseholdFilter) -> None:
    """A search by a whole phone number tells which household has it: recorded like an unmask."""
    phone = queries.phone_term(f.search)
    if phone:
        audit("pii.view", "households:search", after={"phone": mask_phone(phone)}, community_id=f.community_id)


def cursor_arg(name: str) -> queries.Cursor | None:
    """A page cursor from the query; 400 when one is given but is not a cursor this page wrote."""
    raw = request.args.get(name, "")
    cursor = queries.decode_cursor(raw)
    if raw and cursor is None:
        abort(400)
    return cursor


def visible_household(household_id: int) -> Household:
    household = db.session().get(Household, household_id)
    if household is None:
        abort(404)
    require_community(household.community_id)
    return household


@bp.get("/households/<int:household_id>")
@roles_required("admin", "worker")
def household(household_id: int, unmasked: bool = False, phone_error: str = ""):
    sess = db.session()
    h = visible_household(household_id)
    page = render_template("console/household.html", h=h, building=sess.get(Building, h.building_id),
                           community=sess.get(Community, h.community_id),
                           residents=queries.residents_of(h.id, session=sess), unmasked=unmasked,
                           requests=queries.pending_requests(None, household_id=h.id, session=sess),
                           statuses=STATUS_LABELS, policies=POLICY_LABELS, phone_error=phone_error)
    return (page, 400) if phone_error else page


@bp.post("/households/<int:household_id>/unmask")
@roles_required("admin", "worker")
def household_unmask(household_id: int):
    """Names and phones in full, for this one page view; the view itself is audited."""
    h = visible_household(household_id)
    audit("pii.view", f"household:{h.id}", after={"reason": request.form.get("reason", "")[:100]},
          community_id=h.community_id)
    response = household(household_id, unmasked=True)
    db.session().commit()
    return response


@bp.post("/households/<int:household_id>")
@roles_required("admin", "worker")
def household_update(household_id: int):
    """Status, who may vote, and (when typed) a new phone, checked like the roster's."""
    h = visible_household(household_id)
    status, policy = request.form.get("status"), request.form.get("voter_policy")
    if status not in HOUSEHOLD_STATUSES or policy not in VOTER_POLICIES:
        abort(400)
    try:
        phone = normalize_phone(request.form.get("phone", "")[:64]) or h.phone  # empty: unchanged
    except PhoneError as error:
        return household(household_id, phone_error=str(error))
    before = {"status": h.status, "voter_policy": h.voter_policy, "phone": h.phone}
    after = {"status": status, "voter_policy": policy, "phone": phone}
    if before != after:
        h.status, h.voter_policy, h.phone = status, policy, phone
        h.updated_at = now()
        db.session().add(h)
        audit("household.update", f"household:{h.id}", before=_masked(before), after=_masked(after),
              community_id=h.community_id)
        db.session().commit()
    return redirect(url_for("console.household", household_id=h.id))


def _masked(values: dict) -> dict:
    """The audit log keeps that the phone changed, not the number."""
    return {**values, "phone": mask_phone(values["phone"])}
