"""Console pages for households, residents, bindings, staff and the audit log (test client)."""
import io

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from handlers.households.membership import request_binding
from handlers.households.roster import import_roster
from models import AuditLog, Binding, BindingRequest, Community, Household, OutboundMessage, Resident, StaffUser
from tests.fixtures.console import csrf_token, login
from tests.fixtures.households import csv_bytes, roster_rows


@pytest.fixture
def two_communities(db_session, community):
    other = Community(name="和平里小区")
    db_session.add(other)
    db_session.commit()
    for name in ("幸福里小区", "和平里小区"):
        assert import_roster(csv_bytes(roster_rows(community=name)), session=db_session, filename="r.csv").ok
    db_session.commit()
    return community, other


def household_of(db_session, community, room="101"):
    found = db_session.exec(select(Household).where(Household.community_id == community.id,
                                                    Household.room == room)).first()
    db_session.commit()  # SQLite: end the read, whose lock would make the app's writes wait
    return found


def test_worker_sees_only_their_community(client, staff_user, db_session, two_communities):
    mine, other = two_communities
    login(client, staff_user("worker", communities=["幸福里小区"]))
    page = client.get("/console/households").get_data(as_text=True)
    assert "幸福里小区" in page and "和平里小区" not in page and "共 12 户" in page
    assert client.get(f"/console/households?community={other.id}").status_code == 404
    theirs = household_of(db_session, other)
    assert client.get(f"/console/households/{theirs.id}").status_code == 404
    assert client.get(f"/console/households/{household_of(db_session, mine).id}").status_code == 200
    assert client.get("/console/staff").status_code == 403
    assert client.get("/console/audit").status_code == 403


def test_department_staff_see_no_households(client, staff_user, two_communities):
    login(client, staff_user("department", department="市政维修"))
    assert client.get("/console/households").status_code == 403


def test_list_is_masked_filtered_and_paginated(make_app, staff_user, db_session, two_communities):
    app = make_app({"console": {"page_size": 5}})
    client = app.test_client()
    mine, _ = two_communities
    login(client, staff_user("admin"))
    first = client.get(f"/console/households?community={mine.id}").get_data(as_text=True)
    assert "张*" in first and "138****0001" in first and "张001" not in first
    assert "下一页" in first
    after = first.split("after=")[1].split('"')[0].replace("&amp;", "&")
    second = client.get(f"/console/households?community={mine.id}&after={after}").get_data(as_text=True)
    assert "上一页" in second and "138****0006" in second and "138****0001" not in second
    rented = client.get(f"/console/households?community={mine.id}&status=rented").get_data(as_text=True)
    assert "共 4 户" in rented
    found = client.get(f"/console/households?community={mine.id}&q=13800000007").get_data(as_text=True)
    assert "共 1 户" in found


def test_phone_search_matches_whole_numbers_only_and_is_audited(client, staff_user, db_session, two_communities):
    """Issue 17 item 9: suffix searches (…0007, …00007, …) recovered a masked phone digit by digit."""
    mine, _ = two_communities
    login(client, staff_user("worker", communities=["幸福里小区"]))

    def count(term: str) -> str:
        html = client.get("/console/households", query_string={"community": mine.id, "q": term})
        return html.get_data(as_text=True).split("共 ")[1].split(" 户")[0]

    assert [count(t) for t in ("0007", "00007", "000007", "0000007", "800000007")] == ["0"] * 5
    assert [count(t) for t in ("13800000007", "138-0000-0007", "+86 138 0000 0007")] == ["1"] * 3
    assert count("张007") == "1"  # names still found
    rows = db_session.exec(select(AuditLog).where(AuditLog.action == "pii.view")).all()
    assert len(rows) == 5 and {r.target for r in rows} == {"households:search"}  # 7-digit and longer terms
    assert {r.after["phone"] for r in rows} >= {"138****0007"} and "13800000007" not in str([r.after for r in rows])


def test_show_full_is_audited(client, staff_user, db_session, two_communities):
    mine, _ = two_communities
    login(client, staff_user("worker", communities=["幸福里小区"]))
    h = household_of(db_session, mine)
    masked = client.get(f"/console/households/{h.id}").get_data(as_text=True)
    assert h.owner_name not in masked
    full = client.post(f"/console/households/{h.id}/unmask", data={"csrf_token": csrf_token(client, "/console/"),
                                                                    "reason": "入户核实"}).get_data(as_text=True)
    assert h.owner_name in full and h.phone in full
    row = db_session.exec(select(AuditLog).where(AuditLog.action == "pii.view")).one()
    assert row.target == f"household:{h.id}" and row.after == {"reason": "入户核实"}


def test_export_is_masked(client, staff_user, two_communities):
    mine, _ = two_communities
    login(client, staff_user("worker", communities=["幸福里小区"]))
    resp = client.get("/console/households.xlsx")
    rows = list(load_workbook(io.BytesIO(resp.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "小区" and len(rows) == 13
    assert all(r[3].endswith("*") and "****" in r[4] for r in rows[1:])
    assert {r[0] for r in rows[1:]} == {"幸福里小区"}


def test_approving_a_binding_request_binds_and_tells_the_resident(client, staff_user, db_session, two_communities):
    mine, _ = two_communities
    h = household_of(db_session, mine)
    resident = Resident(openid="oWaitingResident")
    db_session.add(resident)
    db_session.flush()
    req = request_binding(resident=resident, household=h, role="family", claimed_name="张小明", session=db_session)
    db_session.commit()
    login(client, staff_user("worker", communities=["幸福里小区"]))
    assert "张**" in client.get("/console/bindings").get_data(as_text=True)
    resp = client.post(f"/console/bindings/{req.id}", data={"csrf_token": csrf_token(client, "/console/"),
                                                             "decision": "approve"})
    assert resp.status_code == 302
    db_session.expire_all()
    binding = db_session.exec(select(Binding)).one()
    assert (binding.household_id, binding.role, binding.verified_by) == (h.id, "family", binding.verified_by)
    assert binding.verified_by.startswith("worker")
    message = db_session.exec(select(OutboundMessage)).one()
    assert message.openid == "oWaitingResident" and "审核通过" in message.payload["text"]
    assert db_session.get(BindingRequest, req.id).status == "approved"


def test_worker_cannot_decide_another_communitys_request(client, staff_user, db_session, two_communities):
    _, other = two_communities
    resident = Resident(openid="oOtherResident")
    db_session.add(resident)
    db_session.flush()
    req = request_binding(resident=resident, household=household_of(db_session, other), role="owner",
                          claimed_name="x", session=db_session)
    db_session.commit()
    login(client, staff_user("worker", communities=["幸福里小区"]))
    assert "没有待审核" in client.get("/console/bindings").get_data(as_text=True)
    resp = client.post(f"/console/bindings/{req.id}", data={"csrf_token": csrf_token(client, "/console/"),
                                                             "decision": "approve"})
    assert resp.status_code == 404


def test_roster_upload_reports_errors_then_imports(client, staff_user, db_session, community):
    login(client, staff_user("worker", communities=["幸福里小区"]))
    rows = roster_rows()
    rows[2][6] = "度假"
    token = csrf_token(client, "/console/roster")
    resp = client.post("/console/roster", data={"csrf_token": token, "file": (io.BytesIO(csv_bytes(rows)), "r.csv")},
                       content_type="multipart/form-data", follow_redirects=True)
    page = resp.get_data(as_text=True)
    assert "未导入任何数据" in page and "第4行，“状态”：无法识别“度假”" in page
    rows[2][6] = "空置"
    resp = client.post("/console/roster", data={"csrf_token": token, "file": (io.BytesIO(csv_bytes(rows)), "r.csv")},
                       content_type="multipart/form-data", follow_redirects=True)
    assert "导入成功：共 12 户，新增 12" in resp.get_data(as_text=True)


def test_admin_creates_staff_and_reads_the_audit_log(client, staff_user, db_session, community):
    login(client, staff_user("admin", username="boss"))
    token = csrf_token(client, "/console/staff")
    resp = client.post("/console/staff", data={"csrf_token": token, "username": "xiaoli", "password": "abcd-1234-x",
                                               "role": "worker", "communities": [str(community.id)]})
    assert resp.status_code == 302
    user = db_session.exec(select(StaffUser).where(StaffUser.username == "xiaoli")).one()
    assert user.role == "worker"
    db_session.commit()
    log = client.get("/console/audit").get_data(as_text=True)
    assert "staff.create" in log and "幸福里小区" in log


def test_background_import_reports_progress_and_result(app, client, staff_user, community):
    import time

    app.config["ROSTER_INLINE_MAX_BYTES"] = 0
    login(client, staff_user("admin"))
    data = csv_bytes(roster_rows(buildings=4, units=4, rooms=10))
    resp = client.post("/console/roster", data={"csrf_token": csrf_token(client, "/console/roster"),
                                                "file": (io.BytesIO(data), "big.csv")},
                       content_type="multipart/form-data")
    status_url = resp.headers["Location"] + "/status"
    deadline = time.monotonic() + 20
    while not (status := client.get(status_url).get_json())["finished"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert status["status"] == "done"
    assert "新增 160" in client.get(resp.headers["Location"]).get_data(as_text=True)


def bound(db_session, household, openid, role="owner", name=None):
    resident = Resident(openid=openid, name=name, phone="13912345678")
    db_session.add(resident)
    db_session.flush()
    binding = Binding(resident_id=resident.id, household_id=household.id, role=role, verified_by="roster",
                      verified_at=household.updated_at)
    db_session.add(binding)
    db_session.commit()
    return resident, binding


def test_worker_ends_a_binding_with_a_reason_and_the_resident_is_told(client, staff_user, db_session,
                                                                      two_communities):
    mine, other = two_communities
    h = household_of(db_session, mine)
    resident, binding = bound(db_session, h, "oEndedResident", name="李四")
    _, theirs = bound(db_session, household_of(db_session, other), "oOtherCommunity")
    worker = staff_user("worker", communities=["幸福里小区"])
    login(client, worker)
    page = client.get(f"/console/households/{h.id}").get_data(as_text=True)
    assert "李*" in page and "139****5678" in page and "李四" not in page and "解除绑定" in page
    token = csrf_token(client, "/console/")
    url = f"/console/households/{h.id}/bindings/{binding.id}/end"
    refused = client.post(url, data={"csrf_token": token, "reason": "  "}, follow_redirects=True)
    assert "请填写解除绑定的原因" in refused.get_data(as_text=True)
    assert client.post(f"/console/households/{h.id}/bindings/{theirs.id}/end",
                       data={"csrf_token": token, "reason": "x"}).status_code == 404
    other_h = household_of(db_session, other)
    assert client.post(f"/console/households/{other_h.id}/bindings/{theirs.id}/end",
                       data={"csrf_token": token, "reason": "x"}).status_code == 404
    done = client.post(url, data={"csrf_token": token, "reason": "已售房搬走"}, follow_redirects=True)
    assert "已解除绑定" in done.get_data(as_text=True)
    db_session.expire_all()
    ended = db_session.get(Binding, binding.id)
    assert ended.ended_at is not None and (ended.ended_by, ended.end_reason) == (worker.username, "已售房搬走")
    assert db_session.get(Binding, theirs.id).ended_at is None
    row = db_session.exec(select(AuditLog).where(AuditLog.action == "binding.end")).one()
    assert row.target == f"binding:{binding.id}" and row.after == {"ended": True, "reason": "已售房搬走"}
    message = db_session.exec(select(OutboundMessage)).one()
    assert message.openid == "oEndedResident"
    assert "社区工作人员已解除您与【1号楼1单元101】的绑定，原因：已售房搬走" in message.payload["text"]
    db_session.commit()
    assert f"（工作人员 {worker.username}：已售房搬走）" in client.get(f"/console/households/{h.id}").get_data(as_text=True)


def test_household_page_refuses_a_pending_owner_claim(client, staff_user, db_session, two_communities):
    mine, _ = two_communities
    h = household_of(db_session, mine)
    bound(db_session, h, "oFirstOwner")
    claimant = Resident(openid="oSecondOwner")
    db_session.add(claimant)
    db_session.flush()
    req = request_binding(resident=claimant, household=h, role="owner", claimed_name="",
                          reason="second_owner", proof="phone", session=db_session)
    db_session.commit()
    login(client, staff_user("worker", communities=["幸福里小区"]))
    page = client.get(f"/console/households/{h.id}").get_data(as_text=True)
    assert "待核实的绑定申请" in page and "已有产权人绑定" in page and "手机后四位相符" in page
    resp = client.post(f"/console/bindings/{req.id}", data={"csrf_token": csrf_token(client, "/console/"),
                                                             "decision": "reject", "note": "不是本户产权人",
                                                             "back": "household"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/console/households/{h.id}")
    db_session.expire_all()
    assert db_session.get(BindingRequest, req.id).status == "rejected"
    assert db_session.exec(select(Binding).where(Binding.resident_id == claimant.id)).all() == []
    row = db_session.exec(select(AuditLog).where(AuditLog.action == "binding.reject")).one()
    assert row.after["reason"] == "second_owner" and row.after["note"] == "不是本户产权人"
    message = db_session.exec(select(OutboundMessage)).one()
    assert message.openid == "oSecondOwner" and "未通过审核" in message.payload["text"]
    db_session.commit()
    assert "待核实的绑定申请" not in client.get(f"/console/households/{h.id}").get_data(as_text=True)
