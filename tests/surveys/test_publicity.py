"""Publication of a closed run: once, to the residents in its scope, then the final notice when the window ends."""
from sqlmodel import select

from models import OutboundMessage
from models.publicity import Objection, Publicity
from surveys import objections
from surveys.errors import NotAllowed

DAY = 24 * 3600


def publicity_rows(db_session):
    return db_session.exec(select(OutboundMessage).where(OutboundMessage.kind == "publicity")
                           .order_by(OutboundMessage.id)).all()


def test_published_exactly_once_across_two_job_runs(closed_run, run_job, db_session):
    made = closed_run()
    assert run_job("surveys.publicity") == "published 1, finished 0"
    assert run_job("surveys.publicity") == "published 0, finished 0"
    p = db_session.exec(select(Publicity).where(Publicity.run_id == made.run.id)).one()
    s = p.figures["summary"]
    assert (s["eligible_households"], s["ballots"], s["gate_yes"], s["passed"]) == (9, 3, 2, False)
    assert s["threshold"] == 0.8 and abs(s["gate_rate"] - 2 / 9) < 1e-3
    assert [(b["building"], b["eligible"], b["ballots"], b["gate_yes"]) for b in p.figures["buildings"]] == [
        ("1号楼", 6, 3, 2), ("2号楼", 3, 0, 0)]
    rows = publicity_rows(db_session)
    assert sorted(r.openid for r in rows) == sorted(r.openid for r in made.residents)  # not the outsider
    assert p.notified == 5 and (p.objection_ends_at - p.published_at).days == 7
    text = rows[0].payload["text"]
    assert "结果公示" in text and "应参与 9 户" in text and "未达到 80%" in text and "/h5/publicity/" in text
    assert rows[0].payload["template"]["kind"] == "publicity" and "/h5/publicity/" in rows[0].payload["template"]["url"]


def test_window_from_config(closed_run, run_job, db_session, app):
    app.config["LINLI"]["surveys"]["objection_days"] = 3
    made = closed_run()
    run_job("surveys.publicity")
    p = db_session.exec(select(Publicity).where(Publicity.run_id == made.run.id)).one()
    assert (p.objection_ends_at - p.published_at).days == 3


def test_final_notice_once_when_the_window_ends(published_run, run_job, db_session, clock, render):
    made = published_run()
    p = db_session.get(Publicity, made.publicity_id)
    now = p.published_at
    first = objections.raise_objection(p.id, made.residents[3].id, "我家明明投了同意", session=db_session, now=now)
    objections.raise_objection(p.id, made.residents[4].id, "统计有误", session=db_session, now=now)
    objections.answer(first.id, "经核对，您家未提交答卷。", session=db_session, now=now, actor="w", render=render)
    db_session.commit()
    clock.advance(7 * DAY - 60)
    assert run_job("surveys.publicity") == "published 0, finished 0"
    clock.advance(120)
    assert run_job("surveys.publicity") == "published 0, finished 1"
    assert run_job("surveys.publicity") == "published 0, finished 0"
    finals = [r for r in publicity_rows(db_session) if r.dedup_key.startswith("publicity.final:")]
    assert len(finals) == 5
    assert "公示结束" in finals[0].payload["text"] and "异议 2 条，已答复 1 条" in finals[0].payload["text"]
    answers = [r for r in publicity_rows(db_session) if r.dedup_key.startswith("objection.answer:")]
    assert [r.openid for r in answers] == [made.residents[3].openid]
    assert "经核对" in answers[0].payload["text"]


def test_only_residents_in_scope_may_object_and_only_in_the_window(published_run, db_session):
    made = published_run()
    p = db_session.get(Publicity, made.publicity_id)
    try:
        objections.raise_objection(p.id, made.outsider.id, "我也有意见", session=db_session, now=p.published_at)
    except NotAllowed as exc:
        assert "不在本次公示的范围内" in str(exc)
    else:
        raise AssertionError("an outsider objected")
    try:
        objections.raise_objection(p.id, made.residents[0].id, "晚了", session=db_session, now=p.objection_ends_at)
    except NotAllowed as exc:
        assert "异议期已结束" in str(exc)
    else:
        raise AssertionError("objected after the window")
    assert db_session.exec(select(Objection)).all() == []


def test_a_run_whose_results_are_never_shown_is_not_published(closed_run, run_job, db_session):
    made = closed_run()
    made.run.results_visible = "never"
    db_session.add(made.run)
    assert run_job("surveys.publicity") == "published 0, finished 0"


def test_a_run_closed_before_the_last_window_is_not_published(closed_run, run_job, db_session, clock):
    """A first deployment on an old database does not announce long-closed runs to everyone."""
    closed_run()
    clock.advance(8 * 86400)  # past the default 7-day window
    assert run_job("surveys.publicity") == "published 0, finished 0"
    assert publicity_rows(db_session) == []
