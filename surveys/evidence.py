"""The evidence pack of an owners' decision (Excel): what a court would ask for within art. 280's year.

Sheets: 决定 (scope, rule, thresholds, the figures and the result), 业主 (every flat of the frozen scope with
its owner — masked — area, floor, head number and whether that owner voted), 表决票 (each ballot: flat,
channel, time, revisions, gate answer, proof: the signed-sheet photo's key or the verified binding) and
修改记录 (every revision of every ballot, oldest first).  Names are masked, the owner key is shown only as a
head number, never as the hash; every row goes through ``append_row``.
"""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlmodel import Session, select

from models import Building, Household
from models.localtime import excel
from models.privacy import mask_name
from models.sheets import append_row
from models.surveys import Ballot, BallotHistory, SurveyEligible, SurveyRun
from surveys import definition as defs
from surveys import proxies, runs
from surveys.errors import SurveyError
from surveys.excel import CHANNELS
from surveys.stats import gate

YES_NO = {True: "是", False: "否"}


def workbook(run_id: int, *, session: Session) -> bytes:
    run = runs.get(run_id, session=session)
    if not run.rule:
        raise SurveyError("只有业主共同决定有证据包")
    figures = gate.summary(run_id, session=session)
    wb = Workbook()
    _decision(wb.active, run, figures)
    flats = session.exec(select(SurveyEligible, Household, Building)
                         .join(Household, Household.id == SurveyEligible.household_id)
                         .join(Building, Building.id == SurveyEligible.building_id)
                         .where(SurveyEligible.run_id == run_id, SurveyEligible.eligible)
                         .order_by(Building.sort_key, Building.name, Household.unit, Household.room)).all()
    ballots = {b.household_id: b for b in session.exec(select(Ballot).where(Ballot.run_id == run_id))}
    heads = _head_numbers(e.owner_key for e, _, _ in flats)
    _owners(wb.create_sheet("业主"), flats, ballots, heads)
    where = {e.household_id: (b.name, h.unit, h.room) for e, h, b in flats}
    _ballots(wb.create_sheet("表决票"), ballots, where, proxies.of_run(run_id, session=session))
    history = session.exec(select(BallotHistory).where(BallotHistory.run_id == run_id)
                           .order_by(BallotHistory.ballot_id, BallotHistory.revision)).all()
    _history(wb.create_sheet("修改记录"), history, where, runs.version_of(run, session=session).definition)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _head_numbers(keys) -> dict[str, int]:
    numbers: dict[str, int] = {}
    for key in keys:
        numbers.setdefault(key, len(numbers) + 1)
    return numbers


def _bold(sheet) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)


def _decision(sheet, run: SurveyRun, s: dict) -> None:
    sheet.title = "决定"
    rows = [("小区", s["community"]), ("事项", run.title), ("表决范围", s["scope_words"]),
            ("表决规则", s["rule_label"]), ("参与门槛", "专有面积和业主人数均不少于三分之二"),
            ("同意门槛", "参与表决的专有面积和人数均不少于四分之三" if run.rule == "owners_special"
             else "参与表决的专有面积和人数均超过半数"),
            ("未表决业主计入多数", YES_NO[run.nonvoters_join_majority]),
            ("开始时间", excel(run.opens_at)), ("截止时间", excel(run.closes_at) if run.closes_at else "未定"),
            ("状态", {"open": "进行中", "scheduled": "未开始", "closed": "已结束"}.get(run.status, run.status)),
            ("范围内业主（人）", s["owners_total"]), ("范围内专有面积（平方米）", s["area_total"]),
            ("参与表决业主（人）", s["owners_voted"]), ("参与表决面积（平方米）", s["area_voted"]),
            ("同意业主（人）", s["owners_yes"]), ("同意面积（平方米）", s["area_yes"]),
            ("参与是否达到", YES_NO[s["participation_passed"]]), ("同意是否达到", YES_NO[s["agreement_passed"]]),
            ("表决结果", "通过" if s["passed"] else "未通过"),
            ("说明", "本表按所选规则计数，不构成法律意见；业主可自决定作出之日起一年内请求法院撤销（民法典第二百八十条）")]
    append_row(sheet, ["项目", "内容"])
    for row in rows:
        append_row(sheet, list(row))
    _bold(sheet)


def _owners(sheet, flats, ballots: dict[int, Ballot], heads: dict[str, int]) -> None:
    append_row(sheet, ["楼栋", "单元", "房号", "楼层", "产权人", "专有面积（平方米）", "业主序号", "本户已表决", "该业主已表决"])
    voted_heads = {e.owner_key for e, _, _ in flats if e.household_id in ballots}
    for entry, household, building in flats:
        append_row(sheet, [building.name, household.unit, household.room, entry.floor or "",
                           "开发商（未售）" if entry.owner_key == "developer" else mask_name(household.owner_name),
                           round(entry.area_c / 100, 2), heads[entry.owner_key],
                           YES_NO[entry.household_id in ballots], YES_NO[entry.owner_key in voted_heads]])
    _bold(sheet)


def _proof(ballot: Ballot, granted: dict) -> str:
    if ballot.channel == "paper":
        return f"签字纸质表决票照片 {ballot.photo_key or ''}（录入：{ballot.entered_by or ''}）"
    proxy = granted.get((ballot.household_id, ballot.resident_id))
    if proxy is not None:
        return f"家庭成员持委托书代为投票（居民 {ballot.resident_id}；委托书照片 {proxy.photo_key}，{proxy.approved_by} 核准）"
    return f"经核实的业主绑定（居民 {ballot.resident_id}）"


def _ballots(sheet, ballots: dict[int, Ballot], where: dict, granted: dict) -> None:
    append_row(sheet, ["楼栋", "单元", "房号", "渠道", "首次提交", "最后修改", "修改次数", "同意", "凭证"])
    for household_id, ballot in sorted(ballots.items(), key=lambda item: where.get(item[0], ("", "", ""))):
        building, unit, room = where.get(household_id, ("", "", ""))
        append_row(sheet, [building, unit, room, CHANNELS.get(ballot.channel, ballot.channel),
                           excel(ballot.created_at), excel(ballot.updated_at), ballot.revision - 1,
                           YES_NO[ballot.gate_yes], _proof(ballot, granted)])
    _bold(sheet)


def _history(sheet, history: list[BallotHistory], where: dict, d: dict) -> None:
    append_row(sheet, ["楼栋", "单元", "房号", "第几次", "渠道", "时间", "提交人", "同意"])
    for h in history:
        building, unit, room = where.get(h.household_id, ("", "", ""))
        actor = "居民" if h.actor.startswith("resident:") else f"工作人员 {h.actor}"
        append_row(sheet, [building, unit, room, h.revision, CHANNELS.get(h.channel, h.channel), excel(h.at), actor,
                           YES_NO[defs.gate_yes(d, h.answers)]])
    _bold(sheet)
