"""Definitions: checking, conditions, question types, structural edits."""
from datetime import datetime, timezone

import pytest

from surveys import answers, ballots, definition, templates
from surveys.errors import AnswerError, DefinitionError, StructuralEditRefused
from tests.fixtures.surveys import sample_definition


def test_sample_is_valid_and_defaults_are_explicit():
    d = definition.check(sample_definition())
    agree = definition.question(d, "agree")
    assert [o["code"] for o in agree["options"]] == ["yes", "no", "abstain"]
    assert d["settings"]["threshold"] == 0.8 and d["settings"]["exclude_statuses"] == ["vacant", "non_residential"]


def test_problems_are_listed_together():
    bad = sample_definition(phase="later", gate={"question": "comment", "options": ["x"]})
    bad["questions"].append({"code": "agree", "type": "single", "title": "重复"})
    bad["questions"].append({"code": "late", "type": "short_text", "title": "t",
                             "show_if": {"question": "nowhere", "op": "equals", "value": 1}})
    with pytest.raises(DefinitionError) as err:
        definition.check(bad)
    text = str(err.value)
    assert "phase" in text and "重复" in text and "nowhere" in text and "门槛题" in text


def test_show_if_hides_and_drops_answers():
    d = definition.check(sample_definition())
    with pytest.raises(answers.AnswersInvalid) as err:
        answers.clean_all(d, {"agree": "2"})
    assert err.value.errors == {"reason": "此题必答"}
    clean = answers.clean_all(d, {"agree": "1", "reason": "cost", "items": ["1", "3"]})
    assert clean == {"agree": "yes", "items": ["pipes", "parking"]}


@pytest.mark.parametrize("qtype,extra,raw,expected", [
    ("single", {"options": [{"code": "a", "label": "甲"}, {"code": "b", "label": "乙"}]}, "乙", "b"),
    ("multiple", {"options": [{"code": "a", "label": "甲"}, {"code": "b", "label": "乙"}, {"code": "c", "label": "丙"}],
                  "min_choices": 1, "max_choices": 2}, "3 1", ["a", "c"]),
    ("ranking", {"options": [{"code": "a", "label": "甲"}, {"code": "b", "label": "乙"}, {"code": "c", "label": "丙"}]},
     "3,1", ["c", "a"]),
    ("grid", {"rows": [{"code": "r1", "label": "道路"}, {"code": "r2", "label": "绿化"}],
              "options": [{"code": "good", "label": "好"}, {"code": "bad", "label": "差"}]}, "1 2",
     {"r1": "good", "r2": "bad"}),
    ("satisfaction5", {}, "2", "satisfied"),
    ("number", {"min": 1, "max": 9}, "3", 3),
    ("date", {}, "2026/05/01", "2026-05-01"),
    ("short_text", {}, "  路灯  ", "路灯"),
])
def test_question_types_clean_chat_replies(qtype, extra, raw, expected):
    from surveys import questions
    q = definition.normalize({"questions": [{"code": "q", "type": qtype, "title": "t", **extra}]})["questions"][0]
    kind = questions.get(qtype)
    assert kind.check(q) == []
    assert kind.clean(q, kind.parse_chat(q, raw)) == expected


def test_validation_messages():
    from surveys import questions
    q = {"code": "n", "type": "number", "title": "t", "min": 1, "max": 5}
    with pytest.raises(AnswerError, match="1 到 5"):
        questions.get("number").clean(q, "9")
    q = {"code": "m", "type": "multiple", "title": "t", "max_choices": 1, "validation": {"message": "只能选一项"},
         "options": [{"code": "a", "label": "甲"}, {"code": "b", "label": "乙"}]}
    with pytest.raises(AnswerError, match="只能选一项"):
        questions.get("multiple").clean(q, ["1", "2"])


def test_version_with_ballots_refuses_structural_edits(db_session, seed_community, bind_resident, publish_run,
                                                       clock, render):
    seeded = seed_community()
    run = publish_run(seeded.community)
    resident = bind_resident(seeded.households[0], "o-edit")
    now = datetime.fromtimestamp(clock.now, timezone.utc)
    ballots.cast_by_resident(run.id, resident.id, {"agree": "yes"}, channel="h5", session=db_session, now=now,
                             render=render)
    db_session.commit()

    reworded = sample_definition(title="改造意愿征询（修订）")
    reworded["questions"][1]["title"] = "您是否同意纳入改造计划？"
    version = templates.edit_version(run.version_id, reworded, session=db_session, actor="admin")
    assert version.definition["questions"][1]["title"] == "您是否同意纳入改造计划？"

    added_option = sample_definition()
    added_option["questions"][2]["options"].append({"code": "new", "label": "新原因"})
    other_gate = sample_definition(gate={"question": "agree", "options": ["yes", "abstain"]})
    stricter = sample_definition(settings={"threshold": 0.9})
    for changed in (added_option, other_gate, stricter):
        with pytest.raises(StructuralEditRefused, match="新版本"):
            templates.edit_version(run.version_id, changed, session=db_session, actor="admin")


def test_unanswered_version_may_change_and_publish_makes_new_version(db_session):
    t = templates.import_definition(sample_definition(), session=db_session)
    v1 = templates.publish_version(t.id, session=db_session)
    assert templates.publish_version(t.id, session=db_session).id == v1.id
    templates.import_definition(sample_definition(title="第二版"), session=db_session)
    v2 = templates.publish_version(t.id, session=db_session)
    assert (v1.number, v2.number) == (1, 2) and v2.definition["title"] == "第二版"
