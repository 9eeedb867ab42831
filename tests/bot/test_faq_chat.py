"""The FAQ through the real /wechat endpoint: answers, choices, no match, small talk, menu."""
from __future__ import annotations

from sqlmodel import select

from bot.devtools.wechat_client import reply_text
from models import Community, Conversation, FaqEntry, Resident, UnansweredQuestion

OPENID = "oFaqResident0000000000000001"


def test_text_question_gets_the_entry_answer(wechat, faq_sample):
    status, reply = wechat.text(OPENID, "请问装电梯政府给补贴不？")
    assert status == 200
    assert faq_sample["加装电梯有补贴吗？"].answer in reply_text(reply)


def test_voice_recognition_gets_the_entry_answer(wechat, faq_sample):
    status, reply = wechat.voice(OPENID, "我想问一下顶楼下雨就漏水改造能不能给修")
    assert status == 200
    assert faq_sample["屋顶漏水能修吗？"].answer in reply_text(reply)


def test_ambiguous_question_offers_choices_and_a_number_picks(wechat, faq_sample, db_session):
    _, reply = wechat.text(OPENID, "电梯呢")
    text = reply_text(reply)
    assert text.startswith("您是想问：") and "1. " in text and "2. " in text
    first = text.splitlines()[1].split(". ", 1)[1]
    assert first in faq_sample
    assert db_session.get(Conversation, OPENID).flow == "faq_choice"
    db_session.commit()

    _, reply = wechat.text(OPENID, "1")
    assert faq_sample[first].answer in reply_text(reply)
    db_session.expire_all()
    assert db_session.get(Conversation, OPENID) is None


def test_a_number_out_of_range_offers_the_choices_again(wechat, faq_sample):
    _, first = wechat.text(OPENID, "电梯呢")
    _, again = wechat.text(OPENID, "7")
    assert reply_text(again) == reply_text(first)


def test_a_new_question_instead_of_a_number_is_answered(wechat, faq_sample):
    wechat.text(OPENID, "电梯呢")
    _, reply = wechat.text(OPENID, "物业费以后怎么收")
    assert faq_sample["改造后要交物业费吗？"].answer in reply_text(reply)


def test_out_of_scope_gets_hotline_and_is_logged(wechat, faq_sample, db_session):
    community = Community(name="和平里小区", hotline="0311-87654321")
    db_session.add(community)
    db_session.commit()
    wechat.text(OPENID, "你好")  # creates the resident
    resident = db_session.exec(select(Resident).where(Resident.openid == OPENID)).one()
    resident.community_id = community.id
    db_session.add(resident)
    db_session.commit()

    _, reply = wechat.text(OPENID, "房产证上加名字要去哪办")
    assert "0311-87654321" in reply_text(reply)
    logged = db_session.exec(select(UnansweredQuestion)).all()
    assert [(q.text, q.openid, q.community_id, q.status) for q in logged] == \
        [("房产证上加名字要去哪办", OPENID, community.id, "open")]


def test_out_of_scope_without_community_gets_default_hotline(wechat, faq_sample):
    _, reply = wechat.text(OPENID, "明天会不会下雨")
    assert "12345" in reply_text(reply)


def test_thanks_and_chit_chat_get_a_kind_answer(wechat, faq_sample, db_session):
    _, reply = wechat.text(OPENID, "辛苦了，谢谢你们啊")
    assert "不客气" in reply_text(reply)
    _, reply = wechat.voice(OPENID, "你是机器人吗")
    assert "邻里小助手" in reply_text(reply)
    _, reply = wechat.text(OPENID, "你都能干些啥")
    assert "随手拍" in reply_text(reply) and "调查" in reply_text(reply)  # what else the account does
    _, reply = wechat.text(OPENID, "祝社区的同志们中秋节快乐！")
    assert "节日快乐" in reply_text(reply)
    _, reply = wechat.text(OPENID, "你们上班也挺辛苦的吧")  # in no phrase list: the learned model's
    assert "有政策方面的问题可以直接问我" in reply_text(reply)
    assert db_session.exec(select(UnansweredQuestion)).all() == []


def test_menu_words_go_to_their_features_not_the_faq(wechat, faq_sample, db_session):
    wechat.text(OPENID, "随手拍")
    wechat.text(OPENID, "调查")
    assert db_session.exec(select(UnansweredQuestion)).all() == []


def test_faq_menu_click_lists_popular_questions_and_a_number_picks(app, wechat, faq_sample, db_session):
    from bot.clock.runner import run_job

    wechat.text(OPENID, "装电梯政府给补贴不")  # one hit makes it the most popular...
    run_job(app, "faq.rollup_hits")  # ...once the clock has counted it
    _, reply = wechat.click(OPENID, "FAQ")
    text = reply_text(reply)
    assert "1. 加装电梯有补贴吗？" in text
    _, reply = wechat.text(OPENID, "1")
    assert faq_sample["加装电梯有补贴吗？"].answer in reply_text(reply)


def test_hidden_entries_are_not_answered(wechat, faq_sample, db_session):
    entry = db_session.get(FaqEntry, faq_sample["加装电梯有补贴吗？"].id)
    entry.active = False
    db_session.add(entry)
    db_session.commit()
    _, reply = wechat.text(OPENID, "装电梯政府给补贴不")
    assert entry.answer not in reply_text(reply)


def test_default_hotline_comes_from_config(make_app, faq_sample, clock):
    from bot.devtools.wechat_client import SimulatedWeChat
    from tests.fixtures.wechat import ACCOUNT, APP_ID, TOKEN, flask_transport

    app = make_app({"faq": {"default_hotline": "0311-11112222"}})
    chat = SimulatedWeChat(transport=flask_transport(app.test_client()), token=TOKEN, app_id=APP_ID, account=ACCOUNT,
                           clock=clock)
    _, reply = chat.text(OPENID, "明天会不会下雨")
    assert "0311-11112222" in reply_text(reply)


def test_answers_are_logged_then_rolled_up_into_popularity(app, wechat, faq_sample, db_session):
    from bot.clock.runner import run_job
    from models import FaqHit

    entry = faq_sample["加装电梯有补贴吗？"]
    before = entry.hits
    for n in range(3):
        wechat.text(OPENID, "请问装电梯政府给补贴不？", msg_id=990100 + n)
    assert {h.entry_id for h in db_session.exec(select(FaqHit)).all()} == {entry.id}
    db_session.commit()
    assert run_job(app, "faq.rollup_hits") == "rolled up 3 answers"
    assert run_job(app, "faq.rollup_hits") == "rolled up 0 answers"  # idempotent: the log is consumed
    db_session.expire_all()
    assert db_session.get(FaqEntry, entry.id).hits == before + 3
    assert db_session.exec(select(FaqHit)).all() == []
