"""Roster phones: mobile and landline numbers checked and written one way, in the import and the console."""
import pytest
from sqlmodel import select

from handlers.households.binding_match import proof_of
from handlers.households.phones import PhoneError, main_number_digits, normalize_phone
from handlers.households.roster import import_roster
from models import Household
from tests.fixtures.households import csv_bytes, roster_rows, xlsx_bytes


@pytest.mark.parametrize("text, written", [
    ("13912345678", "13912345678"),
    ("139 1234 5678", "13912345678"),
    ("139-1234-5678", "13912345678"),
    ("+86 139 1234 5678", "13912345678"),
    ("0086-13912345678", "13912345678"),
    ("１３９１２３４５６７８", "13912345678"),  # full-width digits from a Chinese input method
    ("0311-85551234", "0311-85551234"),
    ("031185551234", "0311-85551234"),
    ("0311 8555123", "0311-8555123"),
    ("010-8555-1234", "010-85551234"),
    ("（021）62345678", "021-62345678"),
    ("+86 311 85551234", "0311-85551234"),
    ("0311-85551234转8001", "0311-85551234转8001"),
    ("0311-85551234-8001", "0311-85551234转8001"),
    ("0311 85551234 ext 12", "0311-85551234转12"),
    ("", ""),
])
def test_accepted_numbers_and_how_they_are_written(text, written):
    assert normalize_phone(text) == written


@pytest.mark.parametrize("text, says", [
    ("1391111", "手机号应为11位数字（这里是7位）"),
    ("139123456789", "手机号应为11位数字（这里是12位）"),
    ("12345678901", "手机号应以13至19开头"),
    ("85551234", "缺少区号"),
    ("0311-0555123", "区号0311后应为7或8位号码"),
    ("021-1234567", "区号021后应为7或8位号码"),
    ("电话12", "含有号码以外的字符"),
    ("13912345678转12", "手机号不能带分机号"),
])
def test_refused_numbers_say_why_in_chinese(text, says):
    with pytest.raises(PhoneError, match=says):
        normalize_phone(text)


def test_the_extension_is_not_part_of_the_last_four_digits():
    assert main_number_digits("0311-85551234转8001") == "031185551234"
    household = Household(community_id=1, building_id=1, room="101", phone="0311-85551234转8001")
    assert proof_of("1234", household) == "phone"
    assert proof_of("8001", household) is None


def test_a_seven_digit_mobile_stops_the_whole_import_with_its_row(db_session, community):
    rows = roster_rows(buildings=1, units=1, rooms=3)
    rows[1][5] = "1391111"
    result = import_roster(xlsx_bytes(rows), session=db_session, filename="r.xlsx")
    assert not result.ok
    assert [str(e) for e in result.errors] == [
        "第3行，“联系电话”：“1391111”不是有效的手机号：手机号应为11位数字（这里是7位）"]
    assert db_session.exec(select(Household)).all() == []


def test_imported_numbers_are_stored_in_one_written_form(db_session, community):
    rows = roster_rows(buildings=1, units=1, rooms=3)
    rows[0][5], rows[1][5], rows[2][5] = "+86 139-1234-5678", "0311 8555 1234 转 801", ""
    assert import_roster(csv_bytes(rows), session=db_session, filename="r.csv").ok
    phones = db_session.exec(select(Household.phone).order_by(Household.room)).all()
    assert phones == ["13912345678", "0311-85551234转801", ""]
    again = import_roster(csv_bytes(rows), session=db_session, filename="r.csv")
    assert again.ok and again.unchanged == 3
