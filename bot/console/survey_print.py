"""Printed paper for a run: blank ballots per household (address, QR code, signature line),
and the index of both per building (the door-to-door sheet itself is ``run_not_answered``).  Chinese only, A4 (``survey_print.css``)."""
from __future__ import annotations

from flask import abort, current_app, render_template, request
from sqlmodel import select

from bot import db, qr
from bot.console.auth import roles_required
from bot.console.survey_runs import _run
from bot.console.surveys import bp
from models import Building, Community, Household
from models.surveys import Ballot, SurveyEligible
from surveys import links, paper, runs


def _eligible(run_id: int, building_id: int | None = None, household_id: int | None = None) -> list[tuple]:
    """(household, building) of the run's eligible households, in building/unit/room order."""
    query = (select(Household, Building).join(SurveyEligible, SurveyEligible.household_id == Household.id)
             .join(Building, Building.id == Household.building_id)
             .where(SurveyEligible.run_id == run_id, SurveyEligible.eligible)
             .order_by(Building.sort_key, Building.name, Household.unit, Household.room))
    if building_id:
        query = query.where(Building.id == building_id)
    if household_id:
        query = query.where(Household.id == household_id)
    return db.session().exec(query).all()


@bp.get("/runs/<int:run_id>/print")
@roles_required("admin", "worker")
def print_index(run_id: int):
    """Per building: blank ballots and the door-to-door sheet."""
    run = _run(run_id)
    rows = _eligible(run_id)
    voted = set(db.session().exec(select(Ballot.household_id).where(Ballot.run_id == run_id)).all())
    buildings: dict[int, dict] = {}
    for household, building in rows:
        entry = buildings.setdefault(building.id, {"building": building, "households": [], "pending": 0})
        entry["households"].append(household)
        entry["pending"] += household.id not in voted
    return render_template("console/surveys/print_index.html", run=run, buildings=list(buildings.values()))


@bp.get("/runs/<int:run_id>/ballots/print")
@roles_required("admin", "worker")
def print_ballots(run_id: int):
    """Blank ballots: every eligible household of ``building``, or one ``household``."""
    run = _run(run_id)
    building_id, household_id = request.args.get("building", type=int), request.args.get("household", type=int)
    if not building_id and not household_id:
        abort(400)
    rows = _eligible(run_id, building_id, household_id)
    if not rows:
        abort(404)
    settings = current_app.config["LINLI"]["app"]
    ballots = []
    for household, building in rows:
        token = links.make_household_token(settings["secret_key"], household_id=household.id, run_id=run_id)
        url = links.door_url(settings["public_base_url"], run_id, token)
        ballots.append({"household": household, "building": building, "url": url, "qr": qr.svg(url)})
    d = runs.version_of(run, session=db.session()).definition
    community = db.session().get(Community, run.community_id)
    return render_template("console/surveys/ballot_print.html", run=run, d=d, community=community,
                           ballots=ballots, questions=paper.numbered(d))

