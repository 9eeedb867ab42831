"""Everything about one run in one dict: the console page, the printable report, the CLI."""
from __future__ import annotations

from typing import Callable

from sqlmodel import Session, select

from models.surveys import Ballot, SurveyVersion
from surveys import runs
from surveys.stats import detail, gate, themes


def full_report(run_id: int, *, session: Session, with_themes: bool = True,
                after_reads: Callable[[], None] | None = None) -> dict:
    """``after_reads`` is called once the database work is done and before the text
    analysis (jieba's first use loads its dictionary for seconds): a view passes a
    function ending its read transaction, so SQLite writers are not kept waiting."""
    run = runs.get(run_id, session=session)
    d = session.get(SurveyVersion, run.version_id).definition
    rows = session.exec(select(Ballot.answers, Ballot.created_at, Ballot.channel)
                        .where(Ballot.run_id == run_id)).all()
    answer_sets = [r[0] for r in rows]
    figures = {"summary": gate.summary(run_id, session=session),
               "buildings": detail.by_building(run, session=session)}
    if after_reads is not None:
        after_reads()
    channels: dict[str, int] = {}
    for _, _, channel in rows:
        channels[channel] = channels.get(channel, 0) + 1
    return {**figures, "channels": channels, "questions": detail.per_question(d, answer_sets),
            "progress": detail.progress([r[1] for r in rows]),
            "themes": themes.question_themes(d, answer_sets) if with_themes else []}
