"""FAQ import and export as .xlsx or .csv, English or Chinese headers.

Import is all-or-nothing: every row is checked first and the errors are
returned by row number (as a spreadsheet shows it); nothing is written unless
the whole file is good.  Rows update the entry with the same ``id`` (as an
export writes it) or the same question, otherwise they add an entry.

The demo's sample entries (loaded by ``SAMPLE_ACTOR`` and never edited since)
are a placeholder, not content: a community's first import retires them (kept,
hidden) instead of letting its rows update them by id or answering residents
with sample text beside the community's own.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from sqlmodel import Session, select

from handlers.faq import service
from models import FaqEntry
from models.sheets import append_row, csv_row, from_csv_text

HEADERS = {
    "id": ("id", "编号", "序号"),
    "question": ("question", "问题", "标准问题", "问"),
    "alternatives": ("alternatives", "相似问法", "相似问题", "其他问法", "近义问法"),
    "answer": ("answer", "答案", "回答", "答"),
    "category": ("category", "分类", "类别"),
    "tags": ("tags", "标签"),
    "source": ("source", "来源", "政策依据"),
    "active": ("active", "启用", "是否启用"),
}
REQUIRED = ("question", "answer")
SAMPLE_ACTOR = "demo"  # who loads the sample FAQ (handlers/faq/demo.py)
CHINESE = {"id": "编号", "question": "问题", "alternatives": "相似问法", "answer": "答案", "category": "分类",
           "tags": "标签", "source": "来源", "active": "启用"}
_FALSE = {"0", "false", "no", "n", "否", "停用", "不启用"}


class TransferError(ValueError):
    """The file cannot be read at all (format, encoding, headers)."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    retired_samples: int = 0  # sample entries hidden because the community brought its own
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number, message)
    entry_ids: list[int] = field(default_factory=list)  # the entries written, in file order

    @property
    def ok(self) -> bool:
        return not self.errors


def read_table(path: str | Path, data: bytes | None = None) -> list[list[str]]:
    """The cells of the first sheet (xlsx) or the file (csv), as strings."""
    suffix = Path(path).suffix.lower()
    raw = data if data is not None else Path(path).read_bytes()
    if suffix == ".xlsx":
        return _read_xlsx(raw)
    if suffix == ".csv":
        return [[from_csv_text(cell) for cell in row] for row in csv.reader(io.StringIO(_decode(raw)))]
    raise TransferError(f"不支持的文件类型 {suffix or '(无扩展名)'}：请使用 .xlsx 或 .csv")


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TransferError("无法识别文件编码：请另存为 UTF-8 的 CSV")


def _read_xlsx(raw: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a broken file
        raise TransferError(f"无法打开 Excel 文件：{exc}") from exc
    rows = [["" if cell is None else str(cell) for cell in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return rows


def map_headers(header: list[str]) -> dict[str, int]:
    """Column name → position; raises when a required column is missing."""
    names = {alias.lower(): key for key, aliases in HEADERS.items() for alias in aliases}
    found: dict[str, int] = {}
    for pos, cell in enumerate(header):
        key = names.get(cell.strip().lower())
        if key and key not in found:
            found[key] = pos
    missing = [CHINESE[k] + "/" + k for k in REQUIRED if k not in found]
    if missing:
        raise TransferError("缺少列：" + "、".join(missing))
    return found


def parse_rows(table: list[list[str]]) -> tuple[list[tuple[int, dict]], list[tuple[int, str]]]:
    """(row number, values) of the data rows, and the errors found in them."""
    if not table:
        raise TransferError("文件是空的")
    columns = map_headers(table[0])
    rows, errors, seen = [], [], {}
    for number, cells in enumerate(table[1:], start=2):
        values = {key: (cells[pos].strip() if pos < len(cells) and cells[pos] else "") for key, pos in columns.items()}
        if not any(values.values()):
            continue
        problems = service.check_entry(values)
        if values.get("id") and not values["id"].isdigit():
            problems.append("编号必须是数字")
        question = values.get("question", "")
        if question and question in seen:
            problems.append(f"问题与第{seen[question]}行重复")
        seen.setdefault(question, number)
        errors += [(number, p) for p in problems]
        rows.append((number, values))
    return rows, errors


def import_file(path: str | Path, *, actor: str, session: Session, data: bytes | None = None,
                use_ids: bool = True) -> ImportResult:
    """Check every row, then write them all (flush only), or nothing.

    ``use_ids=False`` ignores an ``id`` column (sample files from elsewhere).
    """
    try:
        rows, errors = parse_rows(read_table(path, data))
    except TransferError as exc:
        return ImportResult(errors=[(0, str(exc))])
    if errors:
        return ImportResult(errors=errors)
    if not rows:
        return ImportResult(errors=[(0, "文件里没有数据行")])
    result = ImportResult()
    samples = {} if actor == SAMPLE_ACTOR else _untouched_samples(session=session)
    for _, values in rows:
        if not use_ids:
            values.pop("id", None)
        existing = _existing(values, samples, session=session)
        entry = service.save_entry(_entry_values(values), actor=actor, session=session,
                                   entry_id=existing.id if existing else None)
        result.entry_ids.append(entry.id)
        samples.pop(existing.id if existing else None, None)
        result.updated += existing is not None
        result.created += existing is None
    for entry in samples.values():
        service.save_entry({"active": False}, actor=actor, session=session, entry_id=entry.id)
    result.retired_samples = len(samples)
    return result


def _untouched_samples(*, session: Session) -> dict[int, FaqEntry]:
    """The active sample entries nobody has edited since the demo loaded them."""
    found = session.exec(select(FaqEntry).where(FaqEntry.updated_by == SAMPLE_ACTOR,
                                                FaqEntry.active == True)).all()  # noqa: E712
    return {e.id: e for e in found}


def _existing(values: dict, samples: dict[int, FaqEntry], *, session: Session) -> FaqEntry | None:
    """The entry a row updates: by ``id`` (never a sample entry's: another FAQ's numbering
    means nothing here), else by the same question."""
    if values.get("id") and int(values["id"]) not in samples:
        found = session.get(FaqEntry, int(values["id"]))
        if found is not None:
            return found
    return session.exec(select(FaqEntry).where(FaqEntry.question == values["question"])).first()


def _entry_values(values: dict) -> dict:
    out = {k: v for k, v in values.items() if k in ("question", "alternatives", "answer", "category",
                                                    "tags", "source")}
    if "active" in values and values["active"]:
        out["active"] = values["active"].strip().lower() not in _FALSE
    return out


def export_rows(chinese: bool = False, *, session: Session) -> list[list[str]]:
    """A header and one row per entry (hidden ones too, marked in ``active``)."""
    keys = ["id", "question", "alternatives", "answer", "category", "tags", "source", "active"]
    rows = [[CHINESE[k] if chinese else k for k in keys]]
    for e in session.exec(select(FaqEntry).order_by(FaqEntry.id)).all():
        rows.append([str(e.id), e.question, "|".join(e.alternatives), e.answer, e.category, "|".join(e.tags),
                     e.source, "1" if e.active else "0"])
    return rows


def write_table(rows: Iterable[list[str]], path: str | Path) -> bytes:
    """The rows as .xlsx or .csv bytes (chosen by ``path``'s suffix)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(csv_row(row) for row in rows)
        return buffer.getvalue().encode("utf-8-sig")  # with BOM: Excel opens it as UTF-8
    if suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "FAQ"
        for row in rows:
            append_row(sheet, row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    raise TransferError(f"不支持的文件类型 {suffix or '(无扩展名)'}：请使用 .xlsx 或 .csv")
