"""Masking of names and phones for lists, exports and logs."""
from models.privacy import mask_name, mask_phone


def test_names_keep_the_family_name():
    assert [mask_name(n) for n in ("张三", "欧阳娜娜", "李", "", None)] == ["张*", "欧***", "李*", "", ""]


def test_phones_keep_first_three_and_last_four_digits():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("0311-87654321") == "031*****4321"
    assert mask_phone("12345") == "*2345"
    assert mask_phone("") == "" and mask_phone(None) == ""
