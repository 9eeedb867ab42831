"""A resident answers a whole survey in chat, through the real /wechat endpoint."""
from datetime import datetime, timezone

from sqlmodel import select

from models.surveys import Ballot


def say(wechat, openid, text):
    status, reply = wechat.text(openid, text)
    assert status == 200
    return reply["Content"]


def test_whole_survey_in_chat(wechat, db_session, seed_community, bind_resident, publish_run):
    seeded = seed_community()
    run = publish_run(seeded.community)
    bind_resident(seeded.households[0], "o-chat")

    first = say(wechat, "o-chat", "调查")
    assert "测试改造意愿征询" in first and "本次征询一户一票" in first and "第1题" in first
    assert "1. 同意" in first and "/h5/surveys/" in first
    assert "请从 1 到 3" in say(wechat, "o-chat", "7")
    assert "不同意的主要原因" in say(wechat, "o-chat", "2")  # show_if: shown after "no"
    assert "是否同意" in say(wechat, "o-chat", "上一题")
    assert "最希望改造" in say(wechat, "o-chat", "1")  # "yes": the reason question is skipped
    assert "保存进度" in say(wechat, "o-chat", "退出")
    resumed = say(wechat, "o-chat", "调查")
    assert "继续" in resumed and "最希望改造" in resumed
    assert "请选择 0 到 2 项" in say(wechat, "o-chat", "1 2 3")
    assert "其他意见" in say(wechat, "o-chat", "1 3")
    confirm = say(wechat, "o-chat", "楼道灯坏了很久，希望一起修")
    assert "同意" in confirm and "水电气管网、停车位" in confirm and "回复 1 提交" in confirm
    assert "您是否同意本小区纳入老旧小区改造：同意" in confirm and "？：" not in confirm  # no “计划？：同意”
    assert "提交成功" in say(wechat, "o-chat", "1")

    ballot = db_session.exec(select(Ballot).where(Ballot.run_id == run.id)).one()
    assert ballot.channel == "wechat" and ballot.gate_yes
    assert ballot.answers == {"agree": "yes", "items": ["pipes", "parking"], "comment": "楼道灯坏了很久，希望一起修"}
    db_session.rollback()  # SQLite: end the read transaction before the app writes again
    assert "没有正在进行" not in say(wechat, "o-chat", "调查")  # still open: may change (policy allows)


def test_unbound_resident_is_guided_to_bind(wechat, seed_community, publish_run):
    seeded = seed_community()
    publish_run(seeded.community)
    assert "绑定" in say(wechat, "o-stranger", "问卷")


def test_menu_click_starts_survey(wechat, seed_community, bind_resident, publish_run):
    seeded = seed_community()
    publish_run(seeded.community)
    bind_resident(seeded.households[1], "o-click")
    status, reply = wechat.click("o-click", "SURVEY")
    assert status == 200 and "第1题" in reply["Content"]


def test_satisfaction_sample_in_chat_with_grid_and_photo(wechat, db_session, seed_community, bind_resident,
                                                         publish_run):
    import json

    from surveys.samples import SAMPLES_DIR
    seeded = seed_community()
    d = json.loads((SAMPLES_DIR / "satisfaction.json").read_text(encoding="utf-8"))
    run = publish_run(seeded.community, definition=d)
    bind_resident(seeded.households[2], "o-sat")
    first = say(wechat, "o-sat", "调查")
    assert "请对各项改造内容分别评价" in first and "5) " in first
    assert "如“1 2 1 2 1”" in first  # one value per row of the grid
    assert "请为 5 项各回复一个编号" in say(wechat, "o-sat", "1 2")
    assert "总体评价" in say(wechat, "o-sat", "1 2 3 4 2")
    assert "不满意的地方" in say(wechat, "o-sat", "4")
    assert "问题照片" in say(wechat, "o-sat", "路灯还是不亮")
    status, reply = wechat.image("o-sat", "MEDIA123")
    assert status == 200 and "回复 1 提交" in reply["Content"] and "1 张照片" in reply["Content"]
    assert "提交成功" in say(wechat, "o-sat", "1")
    ballot = db_session.exec(select(Ballot).where(Ballot.run_id == run.id)).one()
    assert ballot.answers["items"]["green"] == "dissatisfied" and ballot.answers["problem_photo"] == [
        "wechat-media:MEDIA123"] and ballot.gate_yes is False
    db_session.rollback()


def test_results_after_close_only(wechat, db_session, seed_community, bind_resident, publish_run, clock):
    from surveys import runs
    seeded = seed_community()
    run = publish_run(seeded.community)
    bind_resident(seeded.households[0], "o-results")
    assert "暂无可公布" in say(wechat, "o-results", "调查结果")
    runs.close(run.id, session=db_session, now=datetime.fromtimestamp(clock.now, timezone.utc), actor="test")
    db_session.commit()
    reply = say(wechat, "o-results", "调查结果")
    assert "应参与 9 户" in reply and "未达到 80%" in reply


def test_a_member_who_replaces_the_households_ballot_tells_the_others(wechat, db_session, seed_community,
                                                                       bind_resident, publish_run):
    from models import OutboundMessage

    seeded = seed_community()
    publish_run(seeded.community)
    bind_resident(seeded.households[0], "o-mother")
    bind_resident(seeded.households[0], "o-son", role="family")
    for openid, answer in (("o-mother", "1"), ("o-son", "2")):
        say(wechat, openid, "调查")
        say(wechat, openid, answer)
        if answer == "2":
            say(wechat, openid, "1")  # the reason asked after "no"
        say(wechat, openid, "1")  # items
        say(wechat, openid, "无")  # comment
        done = say(wechat, openid, "1")
        assert "提交成功" in done
    assert "已更新（第1次修改）" in done  # the son's is the first change
    told = db_session.exec(select(OutboundMessage).where(OutboundMessage.kind == "survey.ballot_replaced")).all()
    db_session.rollback()
    assert [m.openid for m in told] == ["o-mother"]
    text = told[0].payload["text"]
    assert "【测试改造意愿征询】您家的答卷已于" in text and "由本户家庭成员重新提交" in text
