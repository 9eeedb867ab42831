"""Everything about one run in one dict: the console page, the printable report, the CLI."""
from __future__ import annotations

from sqlmodel import Session, select

from models.surveys import Ballot, SurveyVersion
from surveys import runs
from surveys.stats import detail, gate, themes


def full_report(run_id: int, *, session: Session, with_themes: bool = True) -> dict:
    run = runs.get(run_id, session=session)
    d = session.get(SurveyVersion, run.version_id).definition
    rows = session.exec(select(Ballot.answers, Ballot.created_at, Ballot.channel)
                        .where(Ballot.run_id == run_id)).all()
    answer_sets = [r[0] for r in rows]
    channels: dict[str, int] = {}
    for _, _, channel in rows:
        channels[channel] = channels.get(channel, 0) + 1
    return {"summary": gate.summary(run_id, session=session), "channels": channels,
            "questions": detail.per_question(d, answer_sets),
            "buildings": detail.by_building(run, session=session),
            "progress": detail.progress([r[1] for r in rows]),
            "themes": themes.question_themes(d, answer_sets) if with_themes else []}
