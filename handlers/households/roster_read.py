"""Read a roster file into header + rows of plain values, whatever saved it.

Community offices keep rosters in Excel and save CSV from it in GBK as often as
in UTF-8 (with or without a BOM); both are read.  Values stay raw here; the
validator turns them into text.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Iterator

ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 is a superset of GBK and GB2312


class RosterFormatError(ValueError):
    """The file cannot be read at all (message in Chinese, for the person who uploaded it)."""


@dataclass
class RosterTable:
    header: list[str]
    rows: list[tuple[int, list[Any]]]  # (spreadsheet row number, values)


def read_roster(source: str | Path | BinaryIO | bytes, filename: str | None = None) -> RosterTable:
    """Header and non-empty rows of a .xlsx or .csv roster."""
    data = _bytes_of(source)
    name = (filename or (str(source) if isinstance(source, (str, Path)) else "")).lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        return _read_xlsx(data)
    if name.endswith(".xls"):
        raise RosterFormatError("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 .csv 后再导入")
    return _read_csv(data)


def _bytes_of(source) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, (str, Path)):
        return Path(source).read_bytes()
    return source.read()


def _read_xlsx(data: bytes) -> RosterTable:
    from handlers.households import roster_xlsx

    try:
        return _table(roster_xlsx.iter_rows(data))
    except RosterFormatError:
        raise
    except Exception:  # noqa: BLE001  a damaged zip raises zlib, struct, XML and index errors alike
        return _read_xlsx_openpyxl(data)


_DAMAGED = "无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏"


def _read_xlsx_openpyxl(data: bytes) -> RosterTable:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise RosterFormatError(_DAMAGED) from exc
    try:
        return _table(enumerate(book.worksheets[0].iter_rows(values_only=True), start=1))
    except RosterFormatError:
        raise
    except Exception as exc:  # damage past the workbook's start shows only while reading rows
        raise RosterFormatError(_DAMAGED) from exc
    finally:
        book.close()


def _decode(data: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterFormatError("无法识别文件编码，请用 Excel 另存为“CSV UTF-8”或 .xlsx 后再导入")


def _read_csv(data: bytes) -> RosterTable:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max(",\t;，", key=first.count) if first else ","
    if delimiter == "，":
        text, delimiter = text.replace("，", ","), ","
    return _table(enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1))


def _table(numbered: Iterator[tuple[int, Any]]) -> RosterTable:
    header: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    for number, values in numbered:
        values = list(values or ())
        if not any(v not in (None, "") and str(v).strip() for v in values):
            continue  # blank lines are common at the end of Excel sheets
        if header is None:
            header = ["" if v is None else str(v).strip() for v in values]
        else:
            rows.append((number, values))
    if header is None:
        raise RosterFormatError("文件是空的：没有表头，也没有数据")
    return RosterTable(header=header, rows=rows)
