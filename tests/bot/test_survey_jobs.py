"""Survey jobs: runs open and close on the clock; reminders through the outbox, once a day."""
from datetime import datetime, timezone

from sqlmodel import select

from bot.clock.runner import run_job
from models import OutboundMessage
from models.surveys import SurveyRun
from surveys import ballots


def at(clock, seconds=0):
    return datetime.fromtimestamp(clock.now + seconds, timezone.utc)


def test_open_close_by_time(app, db_session, seed_community, publish_run, clock):
    seeded = seed_community()
    run = publish_run(seeded.community, opens_at=at(clock, 600), closes_at=at(clock, 1200))
    assert run_job(app, "surveys.open_close") == "opened 0, closed 0"
    clock.advance(601)
    assert run_job(app, "surveys.open_close") == "opened 1, closed 0"
    clock.advance(600)
    assert run_job(app, "surveys.open_close") == "opened 0, closed 1"
    db_session.expire_all()
    assert db_session.get(SurveyRun, run.id).status == "closed"


def test_reminders_once_a_day_to_one_member_of_unanswered_households(app, db_session, seed_community,
                                                                     bind_resident, publish_run, clock, render):
    seeded = seed_community()
    run = publish_run(seeded.community)
    first, second, third = seeded.households[:3]
    owner = bind_resident(first, "o-owner")
    bind_resident(first, "o-son", role="family")
    bind_resident(second, "o-pending", verified=False)
    voter = bind_resident(third, "o-voted")
    bind_resident(seeded.by_status("vacant")[0], "o-vacant")
    ballots.cast_by_resident(run.id, voter.id, {"agree": "yes"}, channel="h5", session=db_session, now=at(clock),
                             render=render)
    db_session.commit()

    assert run_job(app, "surveys.remind") == "queued 1 survey reminders"
    assert run_job(app, "surveys.remind") == "queued 0 survey reminders"
    rows = db_session.exec(select(OutboundMessage).where(OutboundMessage.kind == "survey.reminder")).all()
    assert [r.openid for r in rows] == [owner.openid]
    assert "测试改造意愿征询" in rows[0].payload["text"] and "调查" in rows[0].payload["text"]
    db_session.rollback()
    clock.advance(24 * 3600)
    assert run_job(app, "surveys.remind") == "queued 1 survey reminders"
