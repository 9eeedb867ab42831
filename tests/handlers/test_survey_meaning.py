"""Issue 16 item 6: a survey answer in words ("看情况吧") → the option it means, through /wechat;
asked back for confirmation when the meaning is only close."""
from __future__ import annotations

import pytest
from sqlmodel import select

from handlers.survey_meaning import option_for
from models.surveys import Ballot
from tests.fixtures.surveys import sample_definition

QUESTIONS = [
    {"code": "agree", "type": "yes_no_abstain", "title": "您是否同意本小区纳入老旧小区改造？"},
    {"code": "need", "type": "single", "title": "您家是否需要加装电梯？",
     "options": [{"code": "need", "label": "需要"}, {"code": "no_need", "label": "不需要"},
                 {"code": "depends", "label": "视情况而定"}]},
    {"code": "when", "type": "single", "title": "您希望什么时候开工？",
     "options": [{"code": "now", "label": "越快越好"}, {"code": "next_year", "label": "明年"},
                 {"code": "unsure", "label": "不确定"}]},
    {"code": "sat", "type": "satisfaction5", "title": "您对社区工作的满意度？"},
]


def say(wechat, openid, text):
    status, reply = wechat.text(openid, text)
    assert status == 200
    return reply["Content"]


@pytest.fixture
def voter(wechat, seed_community, bind_resident, publish_run):
    seeded = seed_community()
    run = publish_run(seeded.community, sample_definition(questions=QUESTIONS))
    bind_resident(seeded.households[0], "o-meaning")
    assert "第1题" in say(wechat, "o-meaning", "调查")
    return run


@pytest.mark.parametrize("agree, need, when, sat, expected", [
    ("行啊，同意", "看情况吧", "看情况吧", "还行吧", {"agree": "yes", "need": "depends", "when": "unsure",
                                                 "sat": "neutral"}),
    ("不同意", "得看具体情况", "说不好", "挺好的", {"agree": "no", "need": "depends", "when": "unsure",
                                              "sat": "satisfied"}),
    ("我弃权", "到时候再说吧", "到时候再说", "太差了", {"agree": "abstain", "need": "depends", "when": "unsure",
                                                   "sat": "very_dissatisfied"}),
    ("赞成", "不需要", "不一定", "很满意", {"agree": "yes", "need": "no_need", "when": "unsure",
                                        "sat": "very_satisfied"}),
])
def test_answers_in_words_in_chat(wechat, db_session, voter, agree, need, when, sat, expected):
    assert "第2题" in say(wechat, "o-meaning", agree)
    assert "第3题" in say(wechat, "o-meaning", need)
    reply = say(wechat, "o-meaning", when)
    if "您的意思是" in reply:  # close, not the same words: confirmed first
        assert "“不确定”" in reply
        reply = say(wechat, "o-meaning", "是")
    assert "第4题" in reply
    assert "回复 1 提交" in say(wechat, "o-meaning", sat)
    assert "提交成功" in say(wechat, "o-meaning", "1")
    ballot = db_session.exec(select(Ballot).where(Ballot.run_id == voter.id)).one()
    assert ballot.answers == expected


def test_a_close_meaning_is_asked_back_and_a_number_still_wins(wechat, db_session, voter):
    say(wechat, "o-meaning", "1")
    say(wechat, "o-meaning", "1")
    assert "您的意思是“不确定”吗" in say(wechat, "o-meaning", "看情况吧")
    assert "第4题" in say(wechat, "o-meaning", "2")  # not confirmed: the number given instead


def test_words_that_mean_no_option_are_asked_again(wechat, voter):
    reply = say(wechat, "o-meaning", "看情况吧")  # 同意/不同意/弃权: "it depends" is none of them
    assert "第1题" in reply and "请从 1 到 3" in reply


def test_meaning_by_option_labels():
    q = {"code": "x", "type": "single", "options": [{"code": "a", "label": "愿意"}, {"code": "b", "label": "不愿意"},
                                                      {"code": "c", "label": "无所谓"}]}
    assert option_for(q, "不太愿意").sure == "b"
    assert option_for(q, "都行").sure == "c"
    assert option_for(q, "看情况吧").ask == "c"
    assert option_for(q, "今天天气不错").sure is None
