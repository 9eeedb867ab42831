"""Registries refuse a key claimed twice instead of letting import order decide."""
from __future__ import annotations

import pytest
from sqlmodel import select

from handlers import inbound, registry
from handlers.complaints.lifecycle import transition
from models import Complaint
from tests.fixtures.complaints import WORKER

OPENID = "oRegistry"


@pytest.fixture
def scratch():
    """Undo what a test registers (the registries are module state)."""
    tables = (registry.ON, registry.CLICKS, registry.KEYWORDS, registry.FLOWS, registry.PROBES,
              inbound.MESSAGE_PARSERS, inbound.EVENT_PARSERS)
    saved = [dict(t) for t in tables]
    fallbacks = list(registry.FALLBACKS)
    yield
    for table, before in zip(tables, saved):
        table.clear()
        table.update(before)
    registry.FALLBACKS[:] = fallbacks


def handler(_inbound, _ctx):
    return None


def other(_inbound, _ctx):
    return None


@pytest.mark.parametrize("decorator", [lambda: registry.keyword("绑定"), lambda: registry.keyword("  绑定！"),
                                       lambda: registry.click("BIND"), lambda: registry.on("image"),
                                       lambda: registry.flow("binding"), lambda: registry.fallback(50),
                                       lambda: registry.probe("complaint.need_info"),
                                       lambda: inbound.message("text"), lambda: inbound.event("scan")])
def test_a_key_already_taken_raises(scratch, decorator):
    with pytest.raises(registry.DuplicateKey, match="already registered"):
        decorator()(handler)


def test_a_new_key_registers_and_the_same_function_may_repeat(scratch):
    registry.keyword("测试口令")(handler)
    registry.keyword("测试口令")(handler)  # importing a module twice is harmless
    registry.fallback(99)(handler)
    registry.fallback(99)(handler)
    assert registry.KEYWORDS["测试口令"] is handler
    assert [fn for p, fn in registry.FALLBACKS if p == 99] == [handler]
    with pytest.raises(registry.DuplicateKey):
        registry.keyword("测试口令")(other)


@pytest.mark.parametrize("word", ["?", "？", "。。", " "])
def test_a_keyword_that_normalises_to_nothing_is_refused(scratch, word):
    with pytest.raises(registry.RegistryError, match="keep a letter"):
        registry.keyword("帮助2", word)(handler)
    assert "帮助2" not in registry.KEYWORDS and "" not in registry.KEYWORDS


def test_a_lone_question_mark_still_lists_what_the_account_does(wechat):
    for n, text in enumerate(["？", "?", "。。"]):
        status, reply = wechat.text(OPENID, text, msg_id=7_100 + n)
        assert status == 200 and reply["Content"].startswith("您好！")


def test_a_question_mark_is_not_taken_as_the_words_a_complaint_waits_for(wechat, db_session, complaint_env):
    wechat.image(OPENID, "M7200", msg_id=7_200)
    wechat.text(OPENID, "北门路灯坏了", msg_id=7_201)
    wechat.text(OPENID, "4", msg_id=7_202)
    complaint = db_session.exec(select(Complaint)).one()
    transition(complaint, "request_info", env=complaint_env(), actor=WORKER, note="是哪一个路灯？")
    db_session.commit()
    status, reply = wechat.text(OPENID, "？", msg_id=7_203)
    assert reply["Content"].startswith("您好！")
    db_session.expire_all()
    assert "【补充】" not in db_session.exec(select(Complaint)).one().description


@pytest.mark.parametrize("table, decorator, key", [("EFFECTS", "effect", "dispatch"), ("STEPS", "step", "unit")])
def test_feature_registries_refuse_a_second_function_too(table, decorator, key):
    from handlers.complaints import effects
    from handlers.households import binding_steps
    module = effects if table == "EFFECTS" else binding_steps
    held = getattr(module, table)[key]
    with pytest.raises(registry.DuplicateKey, match="already registered"):
        getattr(module, decorator)(key)(handler)
    assert getattr(module, table)[key] is held
