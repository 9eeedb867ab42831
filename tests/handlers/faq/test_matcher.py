"""The matcher on the sample FAQ: ranking, decisions, small talk, number picks."""
import pytest

from handlers.faq import decide as decide_mod
from handlers.faq.chat import parse_pick
from handlers.faq.decide import understand
from handlers.faq.index import Candidate, Doc, Index
from handlers.faq.smalltalk import detect

# (resident's words, id of the entry in the sample file) — none of these is an alternative.
RANKED = [
    ("装电梯政府给补贴不", 17),
    ("加庄电梯要啥条件", 14),  # homophone typo
    ("维修基金能拿来用吗", 13),  # synonym
    ("我想问一下那个加装电梯政府补贴多少钱一部啊我们单元都想装", 17),  # long, voice-like
    ("住六楼装电梯要出多少钱", 16),
    ("晚上十点还在施工吵死了", 26),
    ("违建", 24),
    ("小区冇物业点算", 23),  # Cantonese-ish
]


@pytest.mark.parametrize("question,entry_id", RANKED)
def test_resident_words_rank_the_right_entry_first(sample_index, question, entry_id):
    assert sample_index.search(question)[0].entry_id == entry_id


@pytest.mark.parametrize("question", ["今天天气怎么样", "房产证加名字怎么办", "孩子上学学区怎么划", "帮我订一张火车票"])
def test_out_of_scope_is_no_match(sample_index, question):
    assert understand(sample_index, question).kind == "none"


def test_a_bare_topic_offers_choices(sample_index):
    decision = understand(sample_index, "电梯呢")
    assert decision.kind == "choices"
    assert 2 <= len(decision.candidates) <= 3


def test_a_clear_question_is_answered(sample_index):
    decision = understand(sample_index, "装电梯国家给补贴不")
    assert (decision.kind, decision.best.entry_id) == ("answer", 17)


def test_scores_are_between_zero_and_one(sample_index):
    for question in ("加装电梯有补贴吗？", "电梯", "完全无关的一句话"):
        assert all(0.0 <= c.score <= 1.0 for c in sample_index.search(question))


@pytest.mark.parametrize("text,kind", [("你好啊", "greeting"), ("好的谢谢", "thanks"), ("辛苦了！", "thanks"),
                                      ("拜拜", "bye"), ("你是机器人吗", "identity")])
def test_small_talk(text, kind):
    assert detect(text) == kind


@pytest.mark.parametrize("text,kind", [("端午节快乐！", "wishes"), ("祝社区的同志们新春快乐", "wishes"),
                                      ("讲得挺详细，点个赞", "laugh"), ("这个公众号真好使", "laugh"),
                                      ("俺晓得了", "thanks"), ("哦哦原来是这样", "thanks"),
                                      ("你这个号都能问啥", "identity"), ("你怎么总是说一样的话", "grumble"),
                                      ("咋又答不上来", "grumble"), ("[强][强]", "laugh"), ("🙏🙏", "laugh"),
                                      ("谢谢社区[抱拳]", "thanks")])
def test_praise_wishes_stickers_and_what_can_you_do_are_small_talk(text, kind):
    assert detect(text) == kind


@pytest.mark.parametrize("text", ["为什么电梯还没装", "公众号怎么绑定房号", "一样的话能投几票", "说得好听，钱谁出",
                                  "你能干啥，能帮我查维修资金吗", "祝阿姨家装电梯要多少钱",
                                  "[微笑]电梯怎么装"])
def test_questions_around_small_talk_words_are_questions(text):
    assert detect(text) is None


def test_a_question_with_a_greeting_is_not_small_talk():
    assert detect("你好，加装电梯怎么申请") is None


def test_words_of_address_go_with_small_talk_but_are_not_small_talk():
    assert detect("社区的同志们受累了") == "thanks"
    assert detect("同志们") is None
    assert detect("社区的同志们 电梯咋装") is None


def test_grumbles_about_the_assistant_are_small_talk_not_questions():
    assert detect("你这说的啥呀 答非所问") == "grumble"
    assert detect("问了半天也没用 这机器人真笨") == "grumble"
    assert detect("你是真人不") == "identity"
    assert detect("不行") is None  # 行 (thanks) with a 不 is not thanks
    assert detect("垃圾没人清") is None


def test_decisions_are_remembered_per_index():
    index = Index.build([Doc(1, "加装电梯需要什么条件"), Doc(2, "物业费怎么交")])
    first = understand(index, "装电梯要啥条件")
    assert understand(index, "装电梯要啥条件") is first  # the memo
    assert decide_mod.judge(index, "装电梯要啥条件") is not first  # judged afresh, same verdict
    assert decide_mod.judge(index, "装电梯要啥条件") == first
    rebuilt = Index.build([Doc(2, "物业费怎么交")])  # an edit: the entry is gone
    after_edit = understand(rebuilt, "装电梯要啥条件")
    assert after_edit.best is None or after_edit.best.entry_id != 1


def test_decide_thresholds():
    def cands(*scores):
        return [Candidate(i, f"q{i}", s) for i, s in enumerate(scores, 1)]

    assert decide_mod.decide([]).kind == "none"
    low = decide_mod.ACCEPTABLE - 0.01
    assert decide_mod.decide(cands(low, low * 0.9)).kind == "none"  # faint and flat: no match
    assert decide_mod.decide(cands(low, low * 0.3)).kind == "none"  # faint, however far ahead
    lone = decide_mod.decide(cands(decide_mod.ACCEPTABLE + 0.01, 0.01))  # weak but acceptable: asked about
    assert (lone.kind, [c.entry_id for c in lone.candidates]) == ("choices", [1])
    assert decide_mod.decide(cands(0.5, 0.1)).kind == "answer"
    assert decide_mod.decide(cands(0.5, 0.45, 0.4)).kind == "choices"
    assert decide_mod.decide(cands(0.9, 0.85)).kind == "answer"


def test_empty_index_finds_nothing():
    assert Index.build([]).search("加装电梯") == []


def test_alternatives_and_answer_count():
    index = Index.build([Doc(1, "物业费标准", ("物业费多少钱",), "按服务等级收费"),
                         Doc(2, "停车怎么收费", (), "停车收费由业主决定")])
    assert index.search("物业费多少钱")[0].entry_id == 1
    assert index.search("停车")[0].entry_id == 2


@pytest.mark.parametrize("text,pick", [("1", 1), ("１", 1), ("第二个", 2), ("3号", 3), ("三", 3), ("加装电梯", None),
                                       ("12", None)])
def test_parse_pick(text, pick):
    from handlers.registry import normalize

    assert parse_pick(normalize(text)) == pick


@pytest.mark.parametrize("question", ["怎么交电费", "低保怎么申请", "社保卡怎么补办"])
def test_another_errand_sharing_a_word_is_no_match(sample_index, question):
    assert understand(sample_index, question).kind == "none"


def test_an_offtopic_word_the_entry_uses_costs_nothing():
    """A community whose FAQ does answer bills keeps its answer; the other entry is discounted."""
    bills = Index.build([Doc(1, "公共照明的电费怎么交", (), "楼道公共照明交电费由物业代收"),
                         Doc(2, "电梯电费谁出", (), "由使用电梯的业主分担")])
    plain = Index.build([Doc(2, "电梯电费谁出", (), "由使用电梯的业主分担")])
    assert bills.search("怎么交电费")[0].entry_id == 1
    assert understand(bills, "怎么交电费").kind != "none"
    assert understand(plain, "怎么交电费").kind == "none"


def test_a_lone_weak_candidate_is_offered_not_answered():
    decision = decide_mod.decide([Candidate(1, "q1", decide_mod.ACCEPTABLE + 0.01)])
    assert decision.kind == "choices" and len(decision.candidates) == 1
