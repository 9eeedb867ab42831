"""Excel export of a run: one row per household ballot, one column per question code.

Columns join by question code (ballots keep their version; a version column
says which one).  Owner names and phones are masked.
"""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlmodel import Session, select

from models import Building, Household
from models.localtime import excel
from models.surveys import Ballot, SurveyVersion
from surveys import questions, runs
from surveys.masking import mask_name

CHANNELS = {"wechat": "公众号", "h5": "网页", "paper": "纸质"}
FIXED = ["楼栋", "单元", "房号", "户主", "渠道", "版本", "提交时间", "修改次数", "计入门槛"]


def ballots_workbook(run_id: int, *, session: Session) -> bytes:
    run = runs.get(run_id, session=session)
    versions = {v.id: v for v in session.exec(select(SurveyVersion).where(SurveyVersion.template_id == run.template_id))}
    d = versions[run.version_id].definition
    qs = [q for q in d["questions"] if questions.get(q["type"]).answerable]
    wb = Workbook()
    sheet = wb.active
    sheet.title = "答卷"
    sheet.append(FIXED + [q["code"] for q in qs])
    sheet.append([""] * len(FIXED) + [q["title"] for q in qs])
    for cell in sheet[1] + sheet[2]:
        cell.font = Font(bold=True)
    rows = session.exec(select(Ballot, Household, Building).join(Household, Household.id == Ballot.household_id)
                        .join(Building, Building.id == Household.building_id)
                        .where(Ballot.run_id == run_id).order_by(Building.sort_key, Building.name, Household.unit,
                                                                 Household.room)).all()
    for ballot, household, building in rows:
        fixed = [building.name, household.unit, household.room, mask_name(household.owner_name),
                 CHANNELS.get(ballot.channel, ballot.channel), versions[ballot.version_id].number,
                 excel(ballot.updated_at), ballot.revision - 1,
                 "是" if ballot.gate_yes else "否"]
        sheet.append(fixed + [_cell(q, ballot.answers.get(q["code"])) for q in qs])
    sheet.freeze_panes = "A3"
    _questions_sheet(wb, qs)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(q: dict, value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return questions.get(q["type"]).describe(q, value)


def _questions_sheet(wb: Workbook, qs: list[dict]) -> None:
    sheet = wb.create_sheet("题目")
    sheet.append(["代码", "题目", "类型", "选项（代码=文字）"])
    for q in qs:
        opts = "；".join(f"{o['code']}={o['label']}" for o in questions.options_of(q)) if q.get("options") else ""
        sheet.append([q["code"], q["title"], questions.get(q["type"]).label, opts])
