"""Demo data for surveys: the four sample templates, and the willingness survey
published for the demo community (closing in 30 days)."""
from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from bot.demo import ensure_community
from models.base import utcnow
from models.surveys import SurveyRun
from surveys import runs, samples


def load(*, session: Session) -> list[str]:
    loaded = samples.load_samples(session=session)
    community = ensure_community(session=session)
    willingness = next(t for t in loaded if t.phase == "willingness")
    run = session.exec(select(SurveyRun).where(SurveyRun.community_id == community.id,
                                               SurveyRun.template_id == willingness.id)).first()
    if run is None:
        now = utcnow()
        run = runs.publish(willingness.id, community.id, session=session, now=now, closes_at=now + timedelta(days=30),
                           actor="demo")
    elif run.eligible_count == 0 and run.excluded_count == 0:
        runs.freeze_roster(run, session=session)  # the roster loader ran after this one last time
    return [f"问卷模板：{len(loaded)} 份；已发布“{run.title}”（调查编号 {run.id}，{run.eligible_count} 户参与统计）"]
