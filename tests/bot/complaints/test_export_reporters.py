"""The complaint export: real local date cells, the reporter named and masked per role (issue 20 item 4)."""
from __future__ import annotations

import io
from datetime import datetime, timezone

from openpyxl import load_workbook
from sqlmodel import select

from models import AuditLog
from tests.fixtures.console import csrf_token, login

HOME = "幸福里小区"
SUBMITTED = datetime(2026, 12, 3, 20, 7, tzinfo=timezone.utc)  # 2026-12-04 04:07 in Beijing


def arrange(db_session, seed_community, bind_resident, make_complaint, department, clock):
    seeded = seed_community(HOME)
    owner = bind_resident(seeded.households[0], "oOwner")
    bind_resident(seeded.households[1], "oTenant", role="tenant")
    department()
    clock.now = SUBMITTED.timestamp()
    made = [make_complaint(community_id=seeded.community.id, openid=openid) for openid in ("oOwner", "oTenant")]
    return seeded, owner, made


def rows_of(resp) -> list[dict]:
    sheet = load_workbook(io.BytesIO(resp.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_export_has_date_cells_and_masked_reporters(client, staff_user, db_session, seed_community, bind_resident,
                                                    make_complaint, department, clock):
    seeded, _, made = arrange(db_session, seed_community, bind_resident, make_complaint, department, clock)
    login(client, staff_user("worker", communities=[HOME]))
    resp = client.get("/console/complaints/export.xlsx")
    assert "complaints-202612040407.xlsx" in resp.headers["Content-Disposition"]
    rows = {r["编号"]: r for r in rows_of(resp)}
    owner_row, tenant_row = rows[made[0].ticket], rows[made[1].ticket]
    assert owner_row["提交时间"] == datetime(2026, 12, 4, 4, 7)  # a date cell, local time, with its year
    assert isinstance(owner_row["办理时限"], datetime)
    assert owner_row["反映人"] == "住*****" and owner_row["电话"] == "138****0000"
    assert owner_row["房屋"] == "1号楼1单元101"
    assert tenant_row["反映人"] is None and tenant_row["房屋"] == "1号楼1单元102"  # a tenant has no roster name
    assert not any("13800000000" in str(v) for r in rows.values() for v in r.values())


def test_full_contacts_only_for_those_who_may_see_them(client, staff_user, db_session, seed_community,
                                                       bind_resident, make_complaint, department, clock):
    seeded, _, made = arrange(db_session, seed_community, bind_resident, make_complaint, department, clock)
    login(client, staff_user("worker", communities=[HOME]))
    full = rows_of(client.get("/console/complaints/export.xlsx?contacts=full"))
    assert any(r["电话"] == "13800000000" and r["反映人"] == seeded.households[0].owner_name for r in full)
    assert db_session.exec(select(AuditLog).where(AuditLog.action == "complaint.export")).one().after["masked"] is False
    detail = client.get(f"/console/complaints/{made[0].id}").get_data(as_text=True)
    assert "13800000000" in detail and "1号楼1单元101" in detail  # workers call residents back

    client.post("/console/logout", data={"csrf_token": csrf_token(client, "/console/complaints/")})
    login(client, staff_user("admin"))
    admin_full = rows_of(client.get("/console/complaints/export.xlsx?contacts=full"))
    assert any(r["电话"] == "13800000000" for r in admin_full)


def test_department_staff_never_get_full_contacts(client, staff_user, db_session, seed_community, bind_resident,
                                                  make_complaint, department, clock):
    seeded, _, made = arrange(db_session, seed_community, bind_resident, make_complaint, department, clock)
    login(client, staff_user("worker", communities=[HOME]))
    client.post("/console/complaints/bulk-dispatch", data={"csrf_token": csrf_token(client, "/console/complaints/"),
                                                           "ids": [made[0].id]})
    client.post("/console/logout", data={"csrf_token": csrf_token(client, "/console/complaints/")})
    login(client, staff_user("department", department="物业公司"))
    rows = rows_of(client.get("/console/complaints/export.xlsx?contacts=full"))
    assert [r["电话"] for r in rows] == ["138****0000"]
    assert "138****0000" in client.get(f"/console/complaints/{made[0].id}").get_data(as_text=True)
