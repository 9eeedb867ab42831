"""Check every row of a roster and turn it into clean values, or say what is wrong.

Headers may be English or Chinese (``room`` / ``房号``); status words may be
Chinese (自住、出租、空置、非住宅…).  Errors name the row as Excel numbers it
and the column as the file spells it, in plain Chinese.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from handlers.households.phones import PhoneError, normalize_phone
from handlers.households.roster_read import RosterTable
from models.privacy import DEVELOPER_OWNER, id_number_key, normalize_id_number, valid_id_number

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "community": ("community", "小区", "小区名称", "小区名", "社区"),
    "building": ("building", "楼栋", "楼号", "楼栋号", "楼", "栋"),
    "unit": ("unit", "单元", "单元号"),
    "room": ("room", "房号", "房间号", "门牌号", "户号", "室"),
    "owner_name": ("owner_name", "owner", "name", "户主姓名", "户主", "业主姓名", "业主", "姓名"),
    "phone": ("phone", "mobile", "联系电话", "电话", "手机", "手机号", "手机号码"),
    "status": ("status", "状态", "居住状态", "房屋状态", "使用状态"),
    "floor_area": ("floor_area", "area", "面积", "建筑面积", "房屋面积", "专有面积", "产权面积"),
    "owner_id": ("owner_id", "产权人证件号", "产权人身份证号", "证件号", "证件号码", "身份证号", "身份证号码"),
}
REQUIRED = ("community", "building", "room")
LABELS = {"community": "小区", "building": "楼栋", "unit": "单元", "room": "房号", "owner_name": "户主姓名",
          "phone": "联系电话", "status": "状态", "floor_area": "面积", "owner_id": "产权人证件号"}
# In the 产权人证件号 column, these words mark an unsold unit still held by the developer (one owner together).
DEVELOPER_WORDS = ("开发商", "未售", "开发商未售", "开发商持有")
NO_KEY = "系统未配置证件号加密密钥（[privacy] id_hash_key），不能导入产权人证件号，请联系管理员"
MAX_LENGTH = {"community": 100, "building": 32, "unit": 16, "room": 16, "owner_name": 64, "phone": 32}

STATUS_WORDS: dict[str, str] = {}
for _status, _words in {
    "occupied": ("occupied", "自住", "居住", "常住", "在住", "入住", "已入住", "正常", "住宅"),
    "rented": ("rented", "出租", "租住", "租赁", "租户", "已出租"),
    "vacant": ("vacant", "空置", "空房", "闲置", "无人居住", "未入住"),
    "non_residential": ("non_residential", "non-residential", "非住宅", "商铺", "商业", "门面", "底商",
                        "车库", "储藏室", "办公", "非居住"),
}.items():
    for _word in _words:
        STATUS_WORDS[_word] = _status

_PAREN = re.compile(r"[（(][^）)]*[）)]")
_BUILDING = re.compile(r"^(\d+)\s*(号楼|号|栋|幢|楼|座)?$")
_UNIT = re.compile(r"^(\d+)\s*(单元)?$")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row <= 0:
            return self.message
        where = f"第{self.row}行" + (f"，“{self.column}”" if self.column else "")
        return f"{where}：{self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class RosterRow:
    row: int
    community: str
    building: str
    unit: str
    room: str
    owner_name: str
    phone: str
    status: str
    floor_area: float | None
    owner_key: str | None = None  # the ID number's keyed hash, DEVELOPER_OWNER, "" (blank) or None (no column)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return self.community, self.building, self.unit, self.room


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalize_header(text: str) -> str:
    return _PAREN.sub("", text).replace("*", "").replace(" ", "").strip().lower()


def map_header(header: list[str]) -> tuple[dict[str, int], list[RowError]]:
    """Column index of each known field; errors for missing required columns."""
    lookup = {alias: field for field, aliases in HEADER_ALIASES.items() for alias in aliases}
    columns: dict[str, int] = {}
    for index, text in enumerate(header):
        field = lookup.get(normalize_header(text))
        if field and field not in columns:
            columns[field] = index
    errors = [RowError(1, LABELS[f], f"缺少必填列（表头应为“{LABELS[f]}”或“{f}”）")
              for f in REQUIRED if f not in columns]
    return columns, errors


def cell_text(value: Any) -> str:
    """Excel gives 101 as 101.0 and a phone as an int; both become plain text.

    Control characters (a stray NUL from a broken export, which PostgreSQL
    refuses in text) are dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _CONTROL.sub("", str(value)).strip()


@lru_cache(maxsize=4096)
def canonical_building(text: str) -> str:
    """``3``, ``3号``, ``3栋`` and ``3号楼`` are the same building: ``3号楼``."""
    match = _BUILDING.match(text)
    return f"{int(match.group(1))}号楼" if match else text


@lru_cache(maxsize=4096)
def canonical_unit(text: str) -> str:
    match = _UNIT.match(text)
    return str(int(match.group(1))) if match else text


def canonical_room(text: str) -> str:
    return text.removesuffix("室").removesuffix("号").strip()


class _RowChecker:
    def __init__(self, columns: dict[str, int], header: list[str], id_key: str = ""):
        self.columns, self.header, self.id_key, self.told_no_key = columns, header, id_key, False
        self.present = list(columns.items())
        self.blank = dict.fromkeys(HEADER_ALIASES, "")

    def values_of(self, values: list[Any]) -> dict[str, str]:
        raw, width = dict(self.blank), len(values)
        for field, index in self.present:
            if index < width:
                raw[field] = cell_text(values[index])
        return raw

    def label(self, field: str) -> str:
        index = self.columns.get(field)
        return self.header[index] if index is not None else LABELS[field]

    def check(self, number: int, values: list[Any]) -> tuple[RosterRow | None, list[RowError]]:
        raw = self.values_of(values)
        errors = [RowError(number, self.label(f), "不能为空") for f in REQUIRED if not raw[f]]
        errors += [RowError(number, self.label(f), f"太长了（最多{n}个字）")
                   for f, n in MAX_LENGTH.items() if len(raw[f]) > n]
        status = STATUS_WORDS.get(raw["status"].lower(), None) if raw["status"] else "occupied"
        if status is None:
            errors.append(RowError(number, self.label("status"),
                                   f"无法识别“{raw['status']}”，应为 自住、出租、空置 或 非住宅"))
        try:
            phone = normalize_phone(raw["phone"])
        except PhoneError as error:
            phone = ""
            errors.append(RowError(number, self.label("phone"), str(error)))
        area = self.area(number, raw["floor_area"], errors)
        owner_key = self.owner_key(number, raw["owner_id"], errors) if "owner_id" in self.columns else None
        if errors:
            return None, errors
        return RosterRow(row=number, community=raw["community"], building=canonical_building(raw["building"]),
                         unit=canonical_unit(raw["unit"]), room=canonical_room(raw["room"]),
                         owner_name=raw["owner_name"], phone=phone, status=status, floor_area=area,
                         owner_key=owner_key), []

    def owner_key(self, number: int, text: str, errors: list[RowError]) -> str:
        """The keyed hash of the ID number; the number itself goes no further (never in an error either)."""
        if not text:
            return ""
        if text in DEVELOPER_WORDS:
            return DEVELOPER_OWNER
        if not self.id_key:  # said once: every row would say the same
            if not self.told_no_key:
                self.told_no_key = True
                errors.append(RowError(number, self.label("owner_id"), NO_KEY))
            return ""
        id_number = normalize_id_number(text)
        if not valid_id_number(id_number):
            errors.append(RowError(number, self.label("owner_id"),
                                   "不是有效的18位居民身份证号（位数、出生日期段或末位校验码不对），请核对"))
            return ""
        return id_number_key(id_number, self.id_key)

    def area(self, number: int, text: str, errors: list[RowError]) -> float | None:
        if not text:
            return None
        try:
            area = float(text)
        except ValueError:
            area = -1.0
        if not 0 < area < 100_000:
            errors.append(RowError(number, self.label("floor_area"), f"“{text}”不是有效的面积（平方米）"))
            return None
        return area


def check_rows(table: RosterTable, progress: Callable[[int, int], None] | None = None, *, id_key: str = ""
               ) -> tuple[list[RosterRow], list[RowError]]:
    """Every row checked (none skipped), duplicates within the file reported.

    ``id_key`` is ``[privacy] id_hash_key``: a file with ID numbers in its 产权人证件号 column is refused without it
    (a blank column, or only 开发商, is fine)."""
    columns, errors = map_header(table.header)
    if errors:
        return [], errors
    checker, rows, seen, total = _RowChecker(columns, table.header, id_key), [], {}, len(table.rows)
    for done, (number, values) in enumerate(table.rows):
        if progress and done % 2000 == 0:
            progress(done, total)
        row, row_errors = checker.check(number, values)
        errors += row_errors
        if row is None:
            continue
        first = seen.setdefault(row.key, number)
        if first != number:
            errors.append(RowError(number, checker.label("room"), f"与第{first}行重复（同一小区、楼栋、单元、房号）"))
            continue
        rows.append(row)
    return rows, errors
