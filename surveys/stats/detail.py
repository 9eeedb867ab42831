"""Per-question distributions, per-building breakdown, progress, the not-answered list."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from sqlalchemy import Integer, cast, func
from sqlmodel import Session, select

from models import Building, Household
from models.localtime import local_date
from models.surveys import Ballot, SurveyEligible, SurveyRun
from surveys import questions
from surveys.masking import mask_name, mask_phone
from surveys.stats.gate import rate


def per_question(d: dict, answer_sets: list[dict]) -> list[dict]:
    """Each answerable question's tally over the ballots that answered it."""
    result = []
    for q in d["questions"]:
        kind = questions.get(q["type"])
        if not kind.answerable:
            continue
        values = [a[q["code"]] for a in answer_sets if q["code"] in a]
        result.append({"code": q["code"], "title": q["title"], "type": q["type"],
                       "shown_to": len(answer_sets), **kind.tally(q, values)})
    return result


def by_building(run: SurveyRun, *, session: Session) -> list[dict]:
    """Eligible households, ballots and gate yes per building, in building order."""
    eligible = dict(session.exec(select(SurveyEligible.building_id, func.count())
                                 .where(SurveyEligible.run_id == run.id, SurveyEligible.eligible)
                                 .group_by(SurveyEligible.building_id)).all())
    voted = {b: (n, int(y or 0)) for b, n, y in session.exec(
        select(Ballot.building_id, func.count(), func.sum(cast(Ballot.gate_yes, Integer)))
        .where(Ballot.run_id == run.id).group_by(Ballot.building_id)).all()}
    return building_rows(run, eligible, voted, session=session)


def building_rows(run: SurveyRun, eligible: dict[int, int], voted: dict[int, tuple[int, int]], *,
                  session: Session) -> list[dict]:
    """Rows from eligible counts and (ballots, gate yes) per building id."""
    names = {b.id: b for b in session.exec(select(Building).where(Building.community_id == run.community_id))}
    rows = []
    for building_id in sorted(eligible, key=lambda b: (names[b].sort_key, names[b].name) if b in names else (0, "")):
        n, yes = voted.get(building_id, (0, 0))
        rows.append({"building_id": building_id, "building": names[building_id].name if building_id in names else "",
                     "eligible": eligible[building_id], "ballots": n, "gate_yes": yes,
                     "participation_rate": rate(n, eligible[building_id]),
                     "gate_rate": rate(yes, eligible[building_id])})
    return rows


def progress(times: list[datetime]) -> list[dict]:
    """Ballots per local day and the running total."""
    per_day = Counter(local_date(t).isoformat() for t in times)
    total, rows = 0, []
    for day in sorted(per_day):
        total += per_day[day]
        rows.append({"date": day, "ballots": per_day[day], "cumulative": total})
    return rows


def not_answered(run_id: int, *, session: Session, mask: bool = True) -> list[dict]:
    """Eligible households without a ballot, grouped by building (for door-to-door visits)."""
    voted = select(Ballot.household_id).where(Ballot.run_id == run_id)
    rows = session.exec(select(Building.name, Building.sort_key, Household)
                        .join(SurveyEligible, SurveyEligible.household_id == Household.id)
                        .join(Building, Building.id == Household.building_id)
                        .where(SurveyEligible.run_id == run_id, SurveyEligible.eligible,
                               Household.id.not_in(voted))).all()
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for name, sort_key, h in rows:
        groups[(sort_key, name)].append({
            "household_id": h.id, "unit": h.unit, "room": h.room,
            "owner": mask_name(h.owner_name) if mask else h.owner_name,
            "phone": mask_phone(h.phone) if mask else h.phone})
    return [{"building": name, "count": len(items),
             "households": sorted(items, key=lambda i: (i["unit"], _room_key(i["room"])))}
            for (_, name), items in sorted(groups.items())]


def _room_key(room: str) -> tuple:
    return (0, int(room), "") if room.isdigit() else (1, 0, room)
