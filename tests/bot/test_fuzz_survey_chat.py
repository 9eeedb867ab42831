"""Property-based fuzzing of survey answers in chat, through the real /wechat endpoint.

A bound resident opens the survey ("调查") and then sends whatever hypothesis
makes up: numbers in any script, several numbers, navigation words, long or
odd text, voice recognition, clicks, photos, retries of an earlier message.
After every message: a 200 (never a 500), and the household's ballot is
either absent or complete and valid (re-cleaning it against the frozen
definition changes nothing, the run's counters match the ballots, every
revision has its history row).

Short in the suite; ``LINLI_FUZZ_EXAMPLES=2000`` (or bench/fuzz/run.sh) for a long run.
"""
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from models.surveys import Ballot, BallotHistory, SurveyRun
from surveys import answers, runs
from tests.fixtures.surveys import sample_definition

EXAMPLES = int(os.environ.get("LINLI_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

WORDS = ["调查", "问卷", "上一题", "退出", "提交", "跳过", "1", "2", "3", "4", "0", "-1", "1 2", "1,3", "1，2，3",
         "１", "一", "二", "٣", "1.5", "99999999999999999999", "是", "否", "同意", "不同意", "弃权", "", " ",
         "]]>", "<xml>", "%s", "{0}", "\u0000", "🙂", "帮助", "绑定", "随手拍"]
numbers = st.lists(st.integers(-3, 12), min_size=1, max_size=5).map(
    lambda xs: st.sampled_from([" ", ",", "，", "、", ""]).map(lambda sep: sep.join(map(str, xs))))
replies = st.one_of(st.sampled_from(WORDS), numbers.flatmap(lambda s: s), st.text(max_size=60),
                    st.text(alphabet="0123456789 ,，、", max_size=12))
actions = st.one_of(
    replies.map(lambda t: ("text", t)),
    replies.map(lambda t: ("voice", t)),
    st.sampled_from(["SURVEY", "FAQ", "COMPLAINT", "BIND"]).map(lambda k: ("click", k)),
    st.just(("image", "")),
    st.integers(0, 50).map(lambda i: ("retry", i)),
)


def check_ballots(db_session, run_id: int, definition: dict) -> None:
    ballots = db_session.exec(select(Ballot).where(Ballot.run_id == run_id)).all()
    run = db_session.get(SurveyRun, run_id)
    assert run.ballot_count == len(ballots)
    assert run.gate_yes_count == sum(1 for b in ballots if b.gate_yes)
    for ballot in ballots:
        assert answers.clean_all(definition, ballot.answers) == ballot.answers  # complete and valid
        assert ballot.answers.get("agree") in ("yes", "no", "abstain")  # the required gate question
        revisions = db_session.exec(select(func.count()).select_from(BallotHistory)
                                    .where(BallotHistory.ballot_id == ballot.id)).one()
        assert revisions == ballot.revision  # every revision (from 1) has its history row
    db_session.rollback()  # end the read transaction before the app writes (SQLite)


@FUZZ
@given(steps=st.lists(actions, min_size=1, max_size=12))
def test_random_replies_in_a_survey_conversation(wechat, db_session, seed_community, bind_resident, publish_run,
                                                 steps):
    run = db_session.exec(select(SurveyRun)).first()  # the fixtures' database lives across examples
    if run is None:
        seeded = seed_community()
        run = publish_run(seeded.community, sample_definition())
        bind_resident(seeded.households[0], "o-fuzz-survey")
    run_id = run.id
    definition = runs.version_of(db_session.get(SurveyRun, run_id), session=db_session).definition
    db_session.rollback()

    status, _ = wechat.text("o-fuzz-survey", "调查")
    assert status == 200
    for n, (kind, value) in enumerate(steps):
        if kind == "text":
            status, _ = wechat.text("o-fuzz-survey", value)
        elif kind == "voice":
            status, _ = wechat.voice("o-fuzz-survey", value)
        elif kind == "click":
            status, _ = wechat.click("o-fuzz-survey", value)
        elif kind == "image":
            status, _ = wechat.image("o-fuzz-survey", f"fuzz-media-{n}")
        else:
            if not wechat.history:
                continue
            xml = wechat.history[-1 - value % len(wechat.history)][0]
            status, _ = wechat.post_xml(xml)  # WeChat's retry: same MsgId, the stored reply
        assert status == 200, (kind, value)
        check_ballots(db_session, run_id, definition)


def test_retry_of_the_submitting_message_changes_nothing(wechat, db_session, seed_community, bind_resident,
                                                         publish_run):
    seeded = seed_community()
    run = publish_run(seeded.community, sample_definition())
    bind_resident(seeded.households[0], "o-fuzz-retry")
    for text in ("调查", "1", "1", "好"):
        assert wechat.text("o-fuzz-retry", text)[0] == 200
    status, reply = wechat.text("o-fuzz-retry", "1")
    assert status == 200 and "提交成功" in reply["Content"]
    submit_xml = wechat.history[-1][0]
    for _ in range(3):
        status, again = wechat.post_xml(submit_xml)
        assert status == 200 and again["Content"] == reply["Content"]
    ballot = db_session.exec(select(Ballot).where(Ballot.run_id == run.id)).one()
    assert ballot.revision == 1  # cast once: the retries were answered from the stored reply
    assert db_session.exec(select(func.count()).select_from(BallotHistory)).one() == 1
