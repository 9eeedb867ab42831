"""The gateway's one round trip: a text message costs one read before its handler.

``bot.wechat.pipeline.prefetch`` reads, in one statement, whether the message
is a retry, whether one of the resident's messages waits in the backlog, the
resident, their conversation and every registered probe.  Handlers then read
the conversation and the probes from ``ctx.prefetched``; these tests count the
statements the engine really runs (``count_queries``) so a second look-up
creeping back fails here, not in the load bench.
"""
from __future__ import annotations

from tests.fixtures.queries import Queries

OPENID = "oPrefetch"


def prefetch_reads_everything(q: Queries) -> bool:
    first = q.statements[0]
    return first.startswith("SELECT EXISTS") and all(f" {t}" in first for t in ("inbound_message", "resident",
                                                                               "conversation"))


def selects_of(q: Queries, table: str) -> list[str]:
    return [s for s in q.touching(table) if s.startswith("SELECT")]


def test_a_greeting_from_a_known_resident_is_one_read_and_one_write(wechat, count_queries):
    wechat.text(OPENID, "你好", msg_id=8_000)  # the first message creates the resident
    with count_queries() as q:
        status, reply = wechat.text(OPENID, "你好", msg_id=8_001)
    assert status == 200 and reply["Content"].startswith("您好！")
    assert q.verbs() == ["SELECT", "INSERT"] and prefetch_reads_everything(q)
    assert q.statements[1].startswith("INSERT INTO inbound_message")


def test_a_question_reads_the_resident_and_conversation_only_in_the_prefetch(wechat, count_queries):
    wechat.text(OPENID, "你好", msg_id=8_100)
    with count_queries() as q:
        wechat.text(OPENID, "加装电梯怎么申请", msg_id=8_101)  # the FAQ and the complaint fallbacks run
    assert prefetch_reads_everything(q)
    assert selects_of(q, "resident") == selects_of(q, "conversation") == [q.statements[0]]


def test_an_answer_in_a_conversation_finds_it_in_the_prefetch(wechat, count_queries):
    wechat.text(OPENID, "绑定", msg_id=8_200)  # starts the binding dialogue
    with count_queries() as q:
        status, reply = wechat.text(OPENID, "幸福里小区", msg_id=8_201)
    assert status == 200 and prefetch_reads_everything(q)
    assert selects_of(q, "conversation") == [q.statements[0]]


def test_a_retry_is_answered_from_the_record_after_the_prefetch(wechat, count_queries):
    """Read once: the stored row is not reloaded after the read transaction ends."""
    first = wechat.text(OPENID, "你好", msg_id=8_300)
    with count_queries() as q:
        again = wechat.text(OPENID, "你好", msg_id=8_300)
    assert again == first
    assert q.verbs() == ["SELECT", "SELECT"] and prefetch_reads_everything(q)
    assert q.statements[1].startswith("SELECT inbound_message.") and "WHERE inbound_message.dedup_key =" in q.statements[1]
