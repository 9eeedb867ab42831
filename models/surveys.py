"""Survey templates, frozen versions, runs, eligible households and ballots.

One household, one vote: ``ballot`` has a unique (run_id, household_id); every
change of a ballot is kept in ``ballot_history``.  ``survey_run`` carries
pre-aggregated counters (ballots, gate yes) so that a city overview reads one
row per run; the per-survey statistics recount from the ballots.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import json_column, utcnow

PHASES = ("willingness", "plan_opinion", "plan_vote", "satisfaction")
# Owners' decisions (Civil Code art. 278): counted by area and by head instead of one household one vote.
OWNER_RULES = ("owners_majority", "owners_special")
CHANNELS = ("wechat", "h5", "paper")


class SurveyTemplate(SQLModel, table=True):
    """An editable survey; ``draft`` is its definition JSON (docs/SURVEYS.md)."""

    __tablename__ = "survey_template"

    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    title: str = Field(max_length=200)
    phase: str = Field(max_length=16)
    draft: dict[str, Any] = Field(default_factory=dict, sa_column=json_column(nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SurveyVersion(SQLModel, table=True):
    """A published, frozen snapshot of a template's definition."""

    __tablename__ = "survey_version"
    __table_args__ = (UniqueConstraint("template_id", "number"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    template_id: int = Field(foreign_key="survey_template.id", index=True)
    number: int
    definition: dict[str, Any] = Field(default_factory=dict, sa_column=json_column(nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(default="system", max_length=64)


class SurveyRun(SQLModel, table=True):
    """One community answering one version in one phase, between opens_at and closes_at."""

    __tablename__ = "survey_run"

    id: Optional[int] = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="survey_version.id", index=True)
    template_id: int = Field(foreign_key="survey_template.id", index=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    phase: str = Field(max_length=16, index=True)
    title: str = Field(max_length=200)
    status: str = Field(default="scheduled", max_length=16, index=True)  # scheduled | open | closed
    opens_at: datetime
    closes_at: Optional[datetime] = None
    threshold: float = 0.8
    gate_basis: str = Field(default="eligible", max_length=16)  # eligible | respondents
    results_visible: str = Field(default="after_close", max_length=16)  # after_close | always | never
    excluded_statuses: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    # An owners' decision: the rule (None: the household gate above), its scope ("" the whole community,
    # "3号楼" or "3号楼/2单元"), and whether non-voters' weight joins the voters' majority (a local rule; off).
    rule: Optional[str] = Field(default=None, max_length=24)
    scope: str = Field(default="", max_length=64)
    nonvoters_join_majority: bool = False
    eligible_count: int = 0
    excluded_count: int = 0
    ballot_count: int = 0  # counters kept in the ballot's transaction
    gate_yes_count: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(default="system", max_length=64)


class SurveyEligible(SQLModel, table=True):
    """The roster frozen at publish: every household, eligible or excluded (and why)."""

    __tablename__ = "survey_eligible"

    run_id: int = Field(foreign_key="survey_run.id", primary_key=True)
    household_id: int = Field(foreign_key="household.id", primary_key=True)
    building_id: int = Field(index=True)
    status: str = Field(max_length=16)  # household status at publish
    eligible: bool = True
    # Frozen for owners' decisions: the flat's area in 0.01 m² (exact sums), its owner (one head per key:
    # the ID hash, "developer" or "flat:<household id>") and its floor (from the room number; door-to-door).
    area_c: int = 0
    owner_key: str = Field(default="", max_length=64)
    floor: Optional[int] = None


class Ballot(SQLModel, table=True):
    """A household's answers to a run; at most one per (run, household)."""

    __tablename__ = "ballot"
    __table_args__ = (UniqueConstraint("run_id", "household_id", name="uq_ballot_run_household"),
                      Index("ix_ballot_run_created", "run_id", "created_at"))

    id: Optional[int] = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="survey_run.id")
    household_id: int = Field(foreign_key="household.id", index=True)
    building_id: int
    version_id: int = Field(foreign_key="survey_version.id")
    channel: str = Field(max_length=8)  # wechat | h5 | paper
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=json_column(nullable=False))
    gate_yes: bool = False
    resident_id: Optional[int] = Field(default=None, foreign_key="resident.id")
    entered_by: Optional[str] = Field(default=None, max_length=64)  # staff username for paper ballots
    photo_key: Optional[str] = Field(default=None, max_length=255)  # signed paper sheet
    revision: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class BallotHistory(SQLModel, table=True):
    """Every state a ballot has had, oldest first (revision 1 is the first answer)."""

    __tablename__ = "ballot_history"

    id: Optional[int] = Field(default=None, primary_key=True)
    ballot_id: int = Field(foreign_key="ballot.id", index=True)
    run_id: int = Field(index=True)
    household_id: int
    revision: int
    channel: str = Field(max_length=8)
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=json_column(nullable=False))
    actor: str = Field(max_length=64)  # resident:<id> or staff username
    at: datetime = Field(default_factory=utcnow)


class SurveyProxy(SQLModel, table=True):
    """A written authorisation, approved by a worker: a family member votes for the owner in one owners' decision."""

    __tablename__ = "survey_proxy"
    __table_args__ = (UniqueConstraint("run_id", "household_id", "resident_id", name="uq_survey_proxy"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="survey_run.id", index=True)
    household_id: int = Field(foreign_key="household.id")
    resident_id: int = Field(foreign_key="resident.id")
    photo_key: str = Field(max_length=255)  # the photo of the signed authorisation (委托书)
    approved_by: str = Field(max_length=64)  # the worker who checked it
    approved_at: datetime = Field(default_factory=utcnow)
