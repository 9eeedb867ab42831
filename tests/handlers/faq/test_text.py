"""Normalisation: width, traditional characters, fillers, particles, synonyms."""
from handlers.faq.text import canonical, clean, normalize


def test_width_case_and_punctuation():
    assert clean("ＡＢＣ１２３，加装电梯？") == "abc123 加装电梯"


def test_traditional_characters_become_simplified():
    assert normalize("加裝電梯有補貼嗎") == normalize("加装电梯有补贴吗")


def test_fillers_and_particles_are_dropped():
    assert normalize("请问，我想问一下那个物业费呢？") == "物业费"


def test_colloquial_variants_meet_the_canonical_word():
    assert canonical("装电梯") == canonical("加装电梯") == "加装电梯"
    assert canonical("维修基金") == canonical("维修资金")
    assert normalize("俺们小区冇物业点算") == "我们小区无物业怎么办"


def test_a_lone_filler_is_kept_for_small_talk():
    assert normalize("你好") == "你好"


def test_particles_inside_words_are_kept():
    assert normalize("怎么办") == normalize("咋办") == "怎么办"
    assert normalize("维修资金余额不够吗") == "维修资金余额不够"
