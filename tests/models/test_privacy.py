"""Masking of names and phones for lists, exports and logs (the one masking module)."""
import pytest

from models.privacy import mask_contacts, mask_name, mask_phone


def test_names_keep_the_family_name():
    assert [mask_name(n) for n in ("张三", "欧阳娜娜", "李", "", None)] == ["张*", "欧***", "李*", "", ""]


def test_phones_keep_first_three_and_last_four_digits():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("0311-87654321") == "031*****4321"
    assert mask_phone("12345") == "*2345"
    assert mask_phone("") == "" and mask_phone(None) == ""


def test_seven_digit_numbers_keep_only_the_last_four():
    """surveys/masking.py showed a 7-digit number in full on the printed not-answered list."""
    assert mask_phone("8765432") == "***5432"


@pytest.mark.parametrize("written", ["13912345678", "139-1234-5678", "139 1234 5678", "139　1234　5678",
                                     "+86 13912345678", "+8613912345678", "0086 13912345678",
                                     "+86-139-1234-5678", "(+86)139 1234 5678", "１３９１２３４５６７８"])
def test_phones_in_free_text_are_masked_however_written(written):
    masked = mask_contacts(f"楼道漏水，请联系{written}，谢谢")
    assert "139****5678" in masked and "1234" not in masked
    assert masked.startswith("楼道漏水，请联系") and masked.endswith("，谢谢")


def test_landlines_and_id_cards_in_free_text():
    assert mask_contacts("座机0311-87654321或(010)12345678") == "座机031*****4321或010****5678"
    assert mask_contacts("身份证130102199001011234") == "身份证1301**************"


def test_other_numbers_in_free_text_stay():
    text = "订单20261203139123456789，3号楼2单元，花了12345元，2026-12-03"
    assert mask_contacts(text) == text
