"""Departments from a spreadsheet (.xlsx or .csv), the way a city hands over its list.

One row a department, Chinese headers (English ones too): 部门名称, 承办类别, 服务小区,
负责人, 联系电话, 电话公开, 工作时间.  Lists in a cell are separated by 、 , ; or
spaces.  A row whose name exists updates that department; all-or-nothing: the
caller rolls back when ``errors`` is not empty (every row is checked first).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from sqlmodel import Session

from handlers.complaints.departments import (DepartmentError, DepartmentSpec, create_department, find,
                                             update_department)
from handlers.households.roster_read import RosterFormatError, read_roster
from handlers.households.roster_rows import cell_text, normalize_header

HEADERS = {"name": ("部门名称", "部门", "名称", "name"), "categories": ("承办类别", "类别", "诉求类别", "categories"),
           "communities": ("服务小区", "小区", "communities"), "supervisors": ("负责人", "负责人账号", "supervisors"),
           "phone": ("联系电话", "电话", "phone"), "phone_public": ("电话公开", "对居民公开", "phone_public"),
           "hours": ("工作时间", "hours")}
_SPLIT = re.compile(r"[、,，;；\s]+")
_YES = {"是", "公开", "对居民公开", "yes", "y", "1", "true", "√"}


@dataclass
class DepartmentImport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def import_departments(source: str | Path | BinaryIO | bytes, *, session: Session, settings: dict,
                       filename: str | None = None) -> DepartmentImport:
    """Create or update one department per row; errors by row (then the caller writes nothing)."""
    result = DepartmentImport()
    try:
        table = read_roster(source, filename)
    except RosterFormatError as exc:
        result.errors.append(str(exc))
        return result
    columns = {f: i for i, text in enumerate(table.header) for f, names in HEADERS.items()
               if normalize_header(text) in {normalize_header(n) for n in names}}
    if "name" not in columns:
        result.errors.append("缺少“部门名称”列")
        return result
    for number, values in table.rows:
        try:
            _save(_spec(columns, values), settings, result, session=session)
        except DepartmentError as exc:
            result.errors.append(f"第{number}行：{exc}")
    return result


def _spec(columns: dict[str, int], values: list) -> DepartmentSpec:
    def cell(name: str) -> str:
        index = columns.get(name)
        return cell_text(values[index]) if index is not None and index < len(values) else ""

    def listed(name: str) -> list[str]:
        return [v for v in _SPLIT.split(cell(name)) if v]
    return DepartmentSpec(name=cell("name"), categories=listed("categories"), communities=listed("communities"),
                          supervisors=listed("supervisors"), phone=cell("phone"),
                          phone_public=cell("phone_public").lower() in _YES, hours=cell("hours"))


def _save(spec: DepartmentSpec, settings: dict, result: DepartmentImport, *, session: Session) -> None:
    existing = find(spec.name, session=session) if spec.name.strip() else None
    if existing is None:
        create_department(spec, settings=settings, session=session)
        result.created += 1
    else:
        update_department(existing, spec, settings=settings, session=session)
        result.updated += 1
