"""The blank roster a worker downloads, fills in and imports (/console/roster/template.xlsx).

The headers are the Chinese names the importer reads (``roster_rows.LABELS``), so
a filled-in template always imports; the two example rows name a community that
does not exist, so importing the template unchanged fails instead of adding them.
"""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from handlers.households.roster_rows import LABELS

COLUMNS = ("community", "building", "unit", "room", "owner_name", "phone", "status", "floor_area", "owner_id")
EXAMPLE_COMMUNITY = "示例小区（请改为本小区名称）"
EXAMPLES = [
    [EXAMPLE_COMMUNITY, "1号楼", "1", "101", "王秀英", "13912345678", "自住", "78.5", ""],
    [EXAMPLE_COMMUNITY, "1号楼", "2", "302", "李建国", "0311-86001234", "出租", "92", ""],
]
NOTE = ("状态填：自住、出租、空置、非住宅；电话填手机号或带区号的座机；面积（平方米）可不填，业主共同决定按面积计票时必填；"
        "产权人证件号填18位身份证号（系统只保存加密摘要，用于识别同一业主的多套房屋），开发商未售房屋填“开发商”，可不填。"
        "删除这两行示例后填写。")
WIDTHS = (26, 10, 8, 8, 12, 16, 10, 10, 22)


def template_workbook() -> bytes:
    """An .xlsx with the Chinese headers, two example rows and a note on a second sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append([LABELS[c] for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in EXAMPLES:
        sheet.append(row)
    for letter, width in zip("ABCDEFGHI", WIDTHS):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    book.create_sheet("填写说明").append([NOTE])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
