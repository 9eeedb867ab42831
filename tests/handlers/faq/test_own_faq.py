"""What the matcher reads from the FAQ it is given (issue 16): its errand words, the known
outside questions it answers itself, what its entries ask for, the last clause of a story."""
import numpy as np

from handlers.faq import intent, learned, scope, sentence
from handlers.faq.decide import understand
from handlers.faq.index import Doc, Index
from handlers.faq.text import normalize
from tests.fixtures.faq import sample_docs

PETS = Doc(901, "小区里养狗有什么规定？", (), "养狗须办理犬证并拴绳，宠物粪便由主人清理；物业可劝阻未拴绳的遛狗行为。", "宠物")


def test_an_errand_word_the_faq_itself_uses_is_its_topic_not_another_errand(sample_index):
    own = Index.build([*sample_docs(), PETS])
    assert {"养狗", "宠物", "遛狗"} <= own.errands and "养狗" not in sample_index.errands
    asked = "楼下遛狗不拴绳物业管不管"
    assert sample_index.evidence(asked)[0].errand and not own.evidence(asked)[0].errand
    assert understand(own, asked).best.entry_id == 901
    assert scope.Signals(normalize(asked), {}, 1.0, own.errands).terms == ()


def test_a_known_outside_question_the_faq_answers_itself_is_dropped_from_its_bank():
    docs = sample_docs()
    bank = ["今天天气怎么样", docs[0].question]
    index = Index.build(docs, outside=bank)
    assert len(index.outside) == 1  # its own question is not outside it
    assert np.allclose(index.outside[0], sentence.embed("今天天气怎么样"))
    marked = Index.build(docs, outside=bank, marked=[docs[1].question])  # what admins marked is kept
    assert len(marked.outside) == 2
    assert learned.covered(index.outside, index.sentences)[0] < learned.OWN_COVERED


def test_what_a_question_asks_for_whatever_its_topic():
    assert intent.kinds(normalize("申请加装电梯需要什么条件")) >= {"condition"}
    assert "process" in intent.kinds(normalize("加装电梯的申请流程是怎样的"))
    assert {"cost", "time", "place"} <= intent.kinds(normalize("办这个多少钱，要多长时间，在哪里办"))
    shared, clash = intent.agreement(frozenset({"condition"}), [frozenset({"condition"}), frozenset({"process"}),
                                                                 frozenset()])
    assert shared.tolist() == [1.0, 0.0, 0.0] and clash.tolist() == [0.0, 1.0, 0.0]
    assert not intent.agreement(frozenset(), [frozenset({"cost"})])[0].any()


def test_the_last_clause_of_a_story_is_what_is_asked():
    story = "我家住六楼，腿脚不好，天天爬楼太累了。加装电梯要多少钱？"
    assert sentence.tail(story) == "加装电梯要多少钱"
    assert sentence.tail("电梯呢") == "电梯呢" and sentence.tail("好的，谢谢") == "好的，谢谢"
