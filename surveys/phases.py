"""The order of the renovation's gates, and what a community has not passed yet.

Willingness (80% agree) comes first, then the plan (80% take part); a plan vote
is optional, but once held it must pass; satisfaction comes last.  Publishing out
of order is allowed (a re-run, a pilot) but the console warns first.
"""
from __future__ import annotations

from sqlmodel import Session, select

from models.surveys import SurveyRun
from surveys import stats

PHASE_NAMES = {"willingness": "改造意愿", "plan_opinion": "方案意见", "plan_vote": "方案表决", "satisfaction": "满意度"}
REQUIRED_BEFORE = {"plan_opinion": ("willingness",), "plan_vote": ("willingness", "plan_opinion"),
                   "satisfaction": ("willingness", "plan_opinion")}
IF_HELD_BEFORE = {"satisfaction": ("plan_vote",)}


def unmet_gates(community_id: int, phase: str, *, session: Session) -> list[str]:
    """Why publishing ``phase`` in this community comes early (empty: every earlier gate passed)."""
    problems = []
    for earlier in REQUIRED_BEFORE.get(phase, ()) + IF_HELD_BEFORE.get(phase, ()):
        held = session.exec(select(SurveyRun.id).where(SurveyRun.community_id == community_id,
                                                       SurveyRun.phase == earlier)).all()
        name = PHASE_NAMES[earlier]
        if not held:
            if earlier in REQUIRED_BEFORE.get(phase, ()):
                problems.append(f"本小区还没有进行过“{name}”调查")
        elif not any(stats.summary(run_id, session=session)["passed"] for run_id in held):
            problems.append(f"本小区的“{name}”调查尚未达到门槛")
    return problems
