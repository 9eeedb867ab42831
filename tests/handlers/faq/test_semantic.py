"""Word vectors in the matcher: what they add, and the lexical fallback without them."""
import dataclasses
import logging

import pytest

from handlers.faq import semantic
from handlers.faq.decide import understand
from handlers.faq.index import Index
from tests.fixtures.faq import built_without


def test_the_word_vectors_package_is_installed():
    """A declared dependency (pyproject.toml): without it the matcher only falls back to lexical scores."""
    assert semantic.model_path() is not None


def lexical_only(index: Index) -> Index:
    return dataclasses.replace(index, vectors=None)


def test_the_index_keeps_one_unit_vector_per_phrasing(sample_index):
    assert sample_index.vectors.shape == (len(sample_index.phrasings), 200)
    assert abs(float((sample_index.vectors[0] ** 2).sum()) - 1) < 1e-3


def test_meaning_lifts_a_question_in_words_no_entry_uses(sample_index):
    question = "自行车没地方充电"  # no entry says 自行车 or 没地方
    blended, lexical = sample_index.search(question)[0], lexical_only(sample_index).search(question)[0]
    assert blended.entry_id == lexical.entry_id == 34
    assert blended.score > lexical.score + 0.05


@pytest.mark.parametrize("question", ["我想办个健身卡", "怎么办理护照", "孩子打疫苗去哪"])
def test_a_question_far_from_the_faq_is_no_match(sample_index, question):
    assert understand(sample_index, question).kind == "none"


def test_a_one_word_question_is_scored_on_its_words(sample_index):
    meaning = semantic.meaning(sample_index.vectors, sample_index.starts, "电梯")
    assert meaning.words == 1
    hand = dataclasses.replace(sample_index, model=None)  # the hand-set scores, where the vectors would blend in
    lexical = [c.entry_id for c in lexical_only(hand).search("电梯")]
    assert [c.entry_id for c in hand.search("电梯")] == lexical


def test_without_the_package_the_matcher_is_lexical_and_says_so(monkeypatch, caplog):
    monkeypatch.setattr(semantic, "model_path", lambda: None)
    semantic._load.cache_clear()
    semantic._embed.cache_clear()
    try:
        index = built_without(caplog, "handlers.faq.semantic", "matching on shared words only")
        assert index.vectors is None
        assert understand(index, "今天天气怎么样").kind == "none"
    finally:
        semantic._load.cache_clear()
        semantic._embed.cache_clear()
        monkeypatch.undo()
        semantic.vectors()  # loaded again now: a later chat test's reply has a time budget


def test_an_unreadable_vectors_file_falls_back_too(monkeypatch, tmp_path, caplog):
    broken = tmp_path / "test.model"
    broken.write_bytes(b"not a gzip file")
    monkeypatch.setattr(semantic, "model_path", lambda: broken)
    semantic._load.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="handlers.faq.semantic"):
            assert semantic.vectors() is None
        assert "cannot read the word vectors" in caplog.text
    finally:
        semantic._load.cache_clear()
        monkeypatch.undo()
        semantic.vectors()
