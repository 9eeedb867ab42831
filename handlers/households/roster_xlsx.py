"""A lean reader of the first worksheet of an .xlsx: values only, streamed.

openpyxl builds a cell object (with its style) for every cell, and reads the
sheet twice when the file has no ``<dimension>``; a 50,000-row roster then takes
most of the import's time.  Rosters need only values, so this reads the sheet
XML with expat and the shared strings, several times faster.  Anything it does
not understand raises :class:`UnsupportedWorkbook` and the caller falls back to
openpyxl (read-only mode).
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from typing import Any, Iterator
from functools import partial

from defusedxml.ElementTree import iterparse as _defused_iterparse

# No DTDs or entities in a workbook: refusing them stops entity-expansion bombs.
iterparse = partial(_defused_iterparse, forbid_dtd=True)

from handlers.households.roster_read import RosterFormatError

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAX_INFLATED_BYTES = 256 * 1024 * 1024  # a 50,000-row roster inflates to about 10 MB


class UnsupportedWorkbook(ValueError):
    """Not a workbook this reader handles (openpyxl may still)."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def first_sheet_path(archive: zipfile.ZipFile) -> str:
    with archive.open("xl/workbook.xml") as fh:
        for _, elem in iterparse(fh):
            if _local(elem.tag) == "sheet":
                rel_id = elem.get(f"{{{REL_NS}}}id")
                break
        else:
            raise UnsupportedWorkbook("no sheet")
    with archive.open("xl/_rels/workbook.xml.rels") as fh:
        for _, elem in iterparse(fh):
            if _local(elem.tag) == "Relationship" and elem.get("Id") == rel_id:
                target = elem.get("Target", "")
                return target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
    raise UnsupportedWorkbook("sheet relationship not found")


def shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list[str] = []
    with archive.open("xl/sharedStrings.xml") as fh:
        for _, elem in iterparse(fh):
            if _local(elem.tag) == "si":
                # Phonetic runs (rPh) are not part of the text.
                parts = [t.text or "" for t in elem.iter() if _local(t.tag) == "t"]
                phonetic = [t.text or "" for ph in elem.iter() if _local(ph.tag) == "rPh"
                            for t in ph.iter() if _local(t.tag) == "t"]
                strings.append("".join(parts[:len(parts) - len(phonetic)] if phonetic else parts))
                elem.clear()
    return strings


def column_index(ref: str) -> int:
    index = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            index = index * 26 + ord(ch) - 64
        else:
            break
    return index - 1


def cell_value(elem, strings: list[str], ns: str) -> Any:
    kind = elem.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in elem.iter(ns + "t"))
    found = elem.find(ns + "v")
    raw = found.text if found is not None else None
    if raw is None:
        return None
    if kind == "s":
        return strings[int(raw)]
    if kind in ("str", "e"):
        return raw
    if kind == "b":
        return raw == "1"
    number = float(raw)
    return int(number) if number.is_integer() else number


def iter_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values) of the first sheet, blank cells as None."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(info.file_size for info in archive.infolist()) > MAX_INFLATED_BYTES:
            raise RosterFormatError("文件解压后过大，不像是花名册；请检查文件")
        path = first_sheet_path(archive)
        strings = shared_strings(archive)
        source = archive.open(path)
    except (KeyError, zipfile.BadZipFile, ValueError, IndexError) as exc:
        raise UnsupportedWorkbook(str(exc)) from exc
    with archive, source:
        yield from _rows(source, strings)


def _rows(source, strings: list[str]) -> Iterator[tuple[int, list[Any]]]:
    ns, row_tag, cell_tag, number = None, "", "", 0
    for _, elem in iterparse(source):
        if ns is None:  # the first finished element tells the namespace (transitional or strict)
            ns = elem.tag[:elem.tag.index("}") + 1] if elem.tag.startswith("{") else ""
            row_tag, cell_tag = ns + "row", ns + "c"
        if elem.tag != row_tag:
            continue
        number = int(elem.get("r") or number + 1)
        values: list[Any] = []
        for cell in elem.iter(cell_tag):
            ref = cell.get("r")
            position = column_index(ref) if ref else len(values)
            if position > len(values):
                values.extend([None] * (position - len(values)))
            values.append(cell_value(cell, strings, ns))
        elem.clear()
        yield number, values
