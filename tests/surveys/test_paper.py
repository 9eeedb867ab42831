"""A survey in words for paper and previews: numbers and conditions, never codes."""
from surveys import definition, paper
from tests.fixtures.surveys import sample_definition


def test_questions_are_numbered_and_conditions_read_in_chinese():
    d = definition.check(sample_definition())
    rows = paper.numbered(d)
    assert [r["number"] for r in rows] == [None, 1, 2, 3, 4]
    assert rows[2]["when"] == "第1题选“不同意”时填写"


def test_groups_operators_and_the_fallback():
    d = definition.check(sample_definition())
    numbers = {"agree": 1, "items": 3}
    either = {"any": [{"question": "agree", "op": "in", "value": ["no", "abstain"]},
                      {"question": "items", "op": "contains", "value": "roof"}]}
    assert paper.condition_words(either, numbers, d) == "第1题选“不同意”、“弃权”或第3题选了“屋面防水”时填写"
    assert paper.condition_words({"question": "items", "op": "answered"}, numbers, d) == "第3题已填写时填写"
    nested = {"all": [{"any": [{"question": "agree", "op": "equals", "value": "no"}]}]}
    assert paper.condition_words(nested, numbers, d) == paper.FALLBACK
