"""公示, 异议 and 调查结果 in chat, through the real /wechat endpoint."""
from sqlmodel import select

from models import Binding
from models.publicity import Objection


def say(wechat, openid, text):
    status, reply = wechat.text(openid, text)
    assert status == 200
    # A free text after the flow may go to the FAQ, whose first question in a busy test process can be
    # answered later through the outbox ("success"); what matters there is what the reply is not.
    return reply["Content"] if isinstance(reply, dict) else str(reply)


def test_publicity_word_shows_what_is_open_with_figures(wechat, published_run):
    made = published_run()
    reply = say(wechat, made.residents[0].openid, "公示")
    assert "正在公示" in reply and "测试改造意愿征询" in reply and "应参与 9 户" in reply
    assert "已参与 3 户" in reply and "同意/满意 2 户" in reply and "未达到 80%" in reply
    assert f"/h5/publicity/{made.publicity_id}?t=" in reply and "异议" in reply


def test_nothing_open_before_a_run_is_published(wechat, closed_run):
    made = closed_run()
    assert "没有公示中" in say(wechat, made.residents[0].openid, "公示")


def test_an_unbound_resident_is_asked_to_bind_first(wechat, published_run):
    published_run()
    reply = say(wechat, "o-never-bound", "公示")
    assert "请先回复“绑定”" in reply and "本小区目前没有" not in reply


def test_objecting_in_chat_is_recorded_with_resident_and_household(wechat, published_run, db_session):
    made = published_run()
    openid = made.residents[3].openid
    assert "有何异议" in say(wechat, openid, "异议")
    assert "至少两个字" in say(wechat, openid, "好")
    done = say(wechat, openid, "我家3月就投了同意票，统计里没有")
    assert "异议已记录" in done
    row = db_session.exec(select(Objection)).one()
    household_id = db_session.exec(select(Binding.household_id).where(Binding.resident_id == made.residents[3].id)).one()
    assert (row.publicity_id, row.resident_id, row.household_id) == (made.publicity_id, made.residents[3].id,
                                                                     household_id)
    assert row.text == "我家3月就投了同意票，统计里没有" and row.channel == "wechat" and row.answered_at is None
    db_session.rollback()
    assert "异议已记录" not in say(wechat, openid, "楼道灯不亮")  # the flow ended: a new text is not an objection
    assert len(db_session.exec(select(Objection)).all()) == 1


def test_objection_can_be_cancelled(wechat, published_run, db_session):
    made = published_run()
    openid = made.residents[1].openid
    say(wechat, openid, "异议")
    assert "已取消" in say(wechat, openid, "退出")
    assert db_session.exec(select(Objection)).all() == []


def test_resident_outside_the_runs_community_cannot_object(wechat, published_run, db_session):
    made = published_run()
    assert "没有公示中" in say(wechat, made.outsider.openid, "公示")
    assert "目前没有您家可以提出异议的公示" in say(wechat, made.outsider.openid, "异议")
    say(wechat, made.outsider.openid, "我反对这个结果")
    assert db_session.exec(select(Objection)).all() == []


def test_survey_results_word_shows_published_results(wechat, published_run, clock):
    made = published_run()
    reply = say(wechat, made.residents[0].openid, "调查结果")
    assert "暂无" not in reply and "测试改造意愿征询" in reply and "应参与 9 户" in reply and "公示中" in reply
    clock.advance(8 * 24 * 3600)
    assert "公示期已于" in say(wechat, made.residents[0].openid, "调查结果")


def test_choosing_among_two_open_publications(wechat, closed_run, publish_run, run_job, db_session, clock):
    from datetime import datetime, timezone

    from models import Community
    from models.publicity import Publicity
    from surveys import runs, templates
    from tests.fixtures.surveys import sample_definition

    made = closed_run()
    community = db_session.get(Community, made.run.community_id)
    template = templates.import_definition(sample_definition(code="plan", title="方案表决"), session=db_session)
    now = datetime.fromtimestamp(clock.now, timezone.utc)
    second = runs.publish(template.id, community.id, session=db_session, now=now)
    runs.close(second.id, session=db_session, now=now, actor="test")
    assert run_job("surveys.publicity") == "published 2, finished 0"
    openid = made.residents[0].openid
    listing = say(wechat, openid, "异议")
    assert "1. " in listing and "2. " in listing and "方案表决" in listing
    assert "请回复要提出异议的公示编号" in say(wechat, openid, "5")
    chosen = listing.splitlines()[[i for i, line in enumerate(listing.splitlines()) if "方案表决" in line][0]]
    assert "方案表决" in say(wechat, openid, chosen.split(".")[0])
    assert "异议已记录" in say(wechat, openid, "方案没有征求我们楼的意见")
    row = db_session.exec(select(Objection)).one()
    assert db_session.get(Publicity, row.publicity_id).run_id == second.id
