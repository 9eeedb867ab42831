"""Property-based fuzzing of the exports and Open311 (issue 17 items 1 and 7).

Exports: whatever a resident typed, the complaint and survey exports answer 200,
every cell written from it reads back as text (never a formula), and no mobile
number survives unmasked; the FAQ export, .xlsx or .csv, imports back to the same
text; whatever the filters, the complaint and household exports answer 200.
Open311: whatever the query, a JSON answer (never a 500), only accepted
complaints, coordinates to 3 decimals, no unmasked phone.

Short in the suite; ``LINLI_FUZZ_EXAMPLES=2000`` (or bench/fuzz/run.sh) for a long run.
"""
from __future__ import annotations

import csv
import io
import os
import re
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlmodel import select

from handlers.faq import service as faq_service
from handlers.faq.transfer import import_file
from models import Complaint, FaqEntry
from models.privacy import mask_contacts
from surveys import ballots
from tests.fixtures.complaints import WORKER
from tests.fixtures.console import login

EXAMPLES = int(os.environ.get("LINLI_FUZZ_EXAMPLES", "20"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
KEY = "fuzz-city-key"
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")

# Text as residents type it, with the spreadsheet's dangerous leads and a phone written any way.  No NUL
# (PostgreSQL refuses it in text) and no other digits, so that a phone found afterwards can only be ours.
chars = st.characters(blacklist_categories=("Cs", "Nd"), blacklist_characters="\x00")
leads = st.sampled_from(["", "=", "+", "-", "@", " =", "\t", "\r", "\n", "＝", "  @", "=HYPERLINK(", "'="])
phones = st.builds(lambda a, b, c, sep, prefix: f"{prefix}1{a}{b}{sep}{c}",
                   st.sampled_from("3456789"), st.text("0123456789", min_size=2, max_size=2).map(lambda s: s + "0"),
                   st.text("0123456789", min_size=8, max_size=8), st.sampled_from(["", "-", " "]),
                   st.sampled_from(["", "+86 ", "0086", "电话"]))
resident_text = st.builds(lambda lead, body, phone, tail: lead + body + phone + tail, leads,
                          st.text(chars, max_size=30), st.one_of(st.just(""), phones), st.text(chars, max_size=10))
# FAQ entries are typed by staff in a form: no control characters (a sheet cannot hold them anyway).
staff_chars = st.characters(blacklist_categories=("Cs", "Cc"))
staff_text = st.builds(lambda lead, body: lead + body, leads, st.text(staff_chars, max_size=40))


def string_cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]


def assert_no_formula_and_no_phone(data: bytes) -> None:
    cells = string_cells(data)
    assert all(c.data_type != "f" for c in cells), [c.value for c in cells if c.data_type == "f"]
    assert not any(isinstance(c.value, str) and MOBILE.search(c.value.replace("-", "").replace(" ", ""))
                   for c in cells)


@pytest.fixture
def worker_client(client, staff_user, seed_community):
    seeded = seed_community("导出模糊小区")
    login(client, staff_user("admin"))
    return client, seeded


@pytest.fixture
def survey_run(worker_client, bind_resident, publish_run):
    """(run, voter id): one run and one voter for every example (answers may be changed)."""
    _, seeded = worker_client
    return publish_run(seeded.community), bind_resident(seeded.households[0], "o-fuzz").id


@FUZZ
@given(text=resident_text)
def test_complaint_export_any_description(worker_client, make_complaint, db_session, text):
    client, _ = worker_client
    c = db_session.exec(select(Complaint)).first() or make_complaint()
    c.description, c.location_label = text, text[:200]
    db_session.add(c)
    db_session.commit()
    resp = client.get("/console/complaints/export.xlsx")
    assert resp.status_code == 200
    assert_no_formula_and_no_phone(resp.data)


@FUZZ
@given(text=resident_text)
def test_survey_export_any_text_answer(worker_client, survey_run, db_session, clock, render, text):
    client, _ = worker_client
    run, voter_id = survey_run
    now = datetime.fromtimestamp(clock.now, timezone.utc)
    ballots.cast_by_resident(run.id, voter_id, {"agree": "yes", "comment": text.strip()},
                             channel="wechat", session=db_session, now=now, render=render)
    db_session.commit()
    resp = client.get(f"/console/surveys/runs/{run.id}/export.xlsx")
    assert resp.status_code == 200
    assert_no_formula_and_no_phone(resp.data)


@FUZZ
@given(question=staff_text, answer=staff_text, fmt=st.sampled_from(["csv", "xlsx"]))
def test_faq_export_imports_back_the_same_text(worker_client, db_session, question, answer, fmt):
    client, _ = worker_client
    question, answer = question.strip()[:200] or "问", answer.strip() or "答"
    for old in db_session.exec(select(FaqEntry)).all():
        db_session.delete(old)
    saved = faq_service.save_entry({"question": question, "answer": answer}, actor="fuzz", session=db_session)
    db_session.commit()
    stored = (saved.question, saved.answer)
    data = client.get(f"/console/faq/export.{fmt}").data
    if fmt == "xlsx":
        assert all(c.data_type != "f" for c in string_cells(data))
    else:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert not any(cell[:1] in "=+-@\t\r" for row in rows for cell in row if cell)
    db_session.delete(db_session.exec(select(FaqEntry)).one())
    db_session.flush()
    assert import_file(f"faq.{fmt}", actor="fuzz", session=db_session, data=data).ok
    entry = db_session.exec(select(FaqEntry)).one()
    assert (lines(entry.question), lines(entry.answer)) == (lines(stored[0]), lines(stored[1]))
    db_session.rollback()


def lines(text: str) -> str:
    """XML reads CR and CRLF back as LF: the same text, line breaks aside."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@FUZZ
@given(text=resident_text)
def test_masked_text_keeps_no_mobile_number(text):
    masked = mask_contacts(text)
    assert not MOBILE.search(re.sub(r"[-\s]", "", masked))
    assert mask_contacts(masked) == masked


@pytest.fixture
def open311_client(make_app, make_complaint, department, db_session):
    app = make_app({"complaints": {"open311_api_keys": [KEY]}})
    department()
    accepted = make_complaint(lat=38.0418056, lng=114.5041667, description="电话139-1234-5678",
                              steps=[("accept", WORKER, {})])
    make_complaint(openid="o-wait", lat=38.0418056, lng=114.5041667, description="待审核")
    make_complaint(openid="o-rej", steps=[("reject", WORKER, {"reason": "invalid", "note": "无效"})])
    return app.test_client(), accepted


dates = st.one_of(st.none(), st.text(max_size=30), st.sampled_from(
    ["0001-01-01", "9999-12-31T23:59:59Z", "2026-12-01", "2026-12-01T00:00:00+08:00", "99999-01-01", "-1",
     "2026-13-45", "2026-12-01T25:00:00", "1e308"]))
queries = st.fixed_dictionaries({}, optional={
    "start_date": dates, "end_date": dates, "status": st.sampled_from(["open", "closed", "", "x", "OPEN"]),
    "service_code": st.text(max_size=20), "service_request_id": st.text(max_size=40),
    "page": st.text("0123456789-", max_size=40), "extensions": st.text(max_size=5)})


@FUZZ
@given(query=queries, path=st.sampled_from(["requests.json", "services.json", "requests/{t}.json", "requests/x.json"]),
       ticket=st.text(max_size=30))
def test_open311_any_query(open311_client, query, path, ticket):
    client, accepted = open311_client
    query = {k: v for k, v in query.items() if v is not None}
    url = "/open311/v2/" + path.format(t=ticket.replace("/", "").replace("?", "").replace("#", "") or "x")
    resp = client.get(url, query_string={**query, "api_key": KEY})
    assert resp.status_code in (200, 400, 404), (url, query, resp.status_code)
    body = resp.get_json()
    assert isinstance(body, list)
    if resp.status_code == 200 and path != "services.json":
        assert {r["service_request_id"] for r in body} <= {accepted.ticket}
        for r in body:
            assert r["lat"] == round(r["lat"], 3) and "1234-5678" not in r["description"]


filters = st.fixed_dictionaries({}, optional={
    "state": st.text(max_size=12), "category": st.text(max_size=12), "ticket": st.text(max_size=20),
    "q": st.text(max_size=20), "overdue": st.sampled_from(["", "1", "x"]), "status": st.text(max_size=8)})


@FUZZ
@given(query=filters, url=st.sampled_from(["/console/complaints/export.xlsx", "/console/households.xlsx"]))
def test_export_any_filter(worker_client, make_complaint, db_session, query, url):
    client, _ = worker_client
    if db_session.exec(select(Complaint)).first() is None:
        make_complaint(description="=1+1 电话13912345678")
    db_session.rollback()
    resp = client.get(url, query_string=query)
    assert resp.status_code == 200, (url, query)
    assert_no_formula_and_no_phone(resp.data)
