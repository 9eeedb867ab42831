"""Codes made from Chinese text: readable, unique, valid, and kept through renames."""
from surveys import codes
from surveys.definition import CODE


def test_codes_spell_the_first_syllables_and_stay_unique():
    assert codes.from_text("担心施工扰民", [], "o") == "dan_xin_shi_gong"
    assert codes.from_text("担心施工扰民吗", ["dan_xin_shi_gong"], "o") == "dan_xin_shi_gong_2"
    assert codes.from_text("绿化", [], "o") == "lv_hua"
    assert codes.from_text("WiFi信号", [], "o") == "wifi_xin_hao"
    assert codes.from_text("3号楼", [], "o") == "o3_hao_lou"
    assert codes.from_text("？？", ["q1"], "q") == "q2"  # nothing to spell: numbered
    for text in ("3号楼", "？？", "一", "ǎ", "__", "加装电梯加装电梯加装电梯加装电梯"):
        assert CODE.match(codes.from_text(text, [], "o"))


def test_carry_keeps_codes_by_label_then_by_place():
    old = [{"code": "cost", "label": "担心出资"}, {"code": "noise", "label": "担心施工扰民"}]
    renamed = codes.carry(old, [("担心个人出资", ""), ("担心施工扰民", ""), ("其他", "")], "o")
    assert [o["code"] for o in renamed] == ["cost", "noise", "qi_ta"]
    swapped = codes.carry(old, [("担心施工扰民", ""), ("担心出资", "")], "o")
    assert [o["code"] for o in swapped] == ["noise", "cost"]
    grouped = codes.carry([], [("加装电梯", "完善类")], "o")
    assert grouped == [{"code": "jia_zhuang_dian_ti", "label": "加装电梯", "group": "完善类"}]


def test_template_code_from_title():
    assert codes.template_code("改造意愿", ["gai_zao_yi_yuan"]) == "gai_zao_yi_yuan_2"
