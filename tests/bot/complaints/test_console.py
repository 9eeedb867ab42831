"""Console: queue with filters and scopes, detail with actions, photos only for those allowed, export, figures."""
from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlmodel import select

from bot import runtime
from models import Complaint, ComplaintEvent, Resident
from tests.fixtures.complaints import jpeg_with_metadata
from tests.fixtures.console import community_named, csrf_token, login

HOME, OTHER = "幸福里小区", "和平里小区"


def arrange(db_session, make_complaint, department, n=3, community=HOME):
    dept = department()
    cid = community_named(db_session, community).id
    db_session.commit()
    made = [make_complaint(community_id=cid, openid=f"oRes{community}{i}") for i in range(n)]
    resident = db_session.exec(select(Resident).where(Resident.openid == made[0].openid)).one()
    resident.name, resident.phone = "张三丰", "13812345678"
    made[0].description = "楼道堆满杂物，联系我13912345678"
    db_session.commit()
    return dept, made


def post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/console/complaints/"), **data})


def test_worker_queue_filters_and_scope(client, staff_user, db_session, make_complaint, department):
    dept, mine = arrange(db_session, make_complaint, department)
    _, theirs = arrange(db_session, make_complaint, department, n=1, community=OTHER)
    login(client, staff_user("worker", communities=[HOME]))
    html = client.get("/console/complaints/").get_data(as_text=True)
    assert all(c.ticket in html for c in mine) and theirs[0].ticket not in html
    assert "13812345678" not in html and "张三丰" not in html
    assert client.get(f"/console/complaints/{theirs[0].id}").status_code == 404
    html = client.get("/console/complaints/?state=dispatched").get_data(as_text=True)
    assert "没有符合条件" in html


def test_bulk_dispatch_then_department_sees_only_its_queue(client, staff_user, db_session, make_complaint,
                                                           department):
    dept, made = arrange(db_session, make_complaint, department)
    login(client, staff_user("worker", communities=[HOME]))
    resp = post(client, "/console/complaints/bulk-dispatch", ids=[made[0].id, made[1].id])
    assert resp.status_code == 302
    db_session.expire_all()
    assert [c.state for c in db_session.exec(select(Complaint).order_by(Complaint.id))] == \
        ["dispatched", "dispatched", "submitted"]
    client.post("/console/logout", data={"csrf_token": csrf_token(client, "/console/complaints/")})
    login(client, staff_user("department", department=dept.name))
    html = client.get("/console/complaints/").get_data(as_text=True)
    assert made[0].ticket in html and made[2].ticket not in html
    assert client.get(f"/console/complaints/{made[2].id}").status_code == 404
    detail = client.get(f"/console/complaints/{made[0].id}").get_data(as_text=True)
    assert "张**" in detail and "138****5678" in detail  # department staff see masked contacts
    post(client, f"/console/complaints/{made[0].id}/act", action="sign")
    resp = client.post(f"/console/complaints/{made[0].id}/act", content_type="multipart/form-data",
                       data={"csrf_token": csrf_token(client, "/console/complaints/"), "action": "resolve",
                             "note": "已清理", "photo": (io.BytesIO(jpeg_with_metadata()), "after.jpg")})
    assert resp.status_code == 302
    db_session.expire_all()
    done = db_session.get(Complaint, made[0].id)
    assert done.state == "resolved"
    detail = client.get(f"/console/complaints/{done.id}").get_data(as_text=True)
    photo_url = re.search(r'src="(/console/complaints/photo/\d+\?thumb=1)"', detail).group(1)
    assert client.get(photo_url).mimetype == "image/jpeg"


def test_other_community_worker_gets_404_for_complaint_and_photo(client, staff_user, db_session, make_complaint,
                                                                 department, complaint_env, app):
    from handlers.complaints import staffwork
    dept, made = arrange(db_session, make_complaint, department, n=1)
    photo = staffwork.attach_upload(made[0], jpeg_with_metadata(), env=complaint_env(),
                                    storage=runtime.services(app).storage, kind="before")
    db_session.commit()
    login(client, staff_user("worker", communities=[OTHER]))
    assert client.get(f"/console/complaints/{made[0].id}").status_code == 404
    assert client.get(f"/console/complaints/photo/{photo.id}").status_code == 404
    assert client.get(f"/console/complaints/photo/{photo.id}?thumb=1").status_code == 404
    assert client.get(f"/static/../instance/media/{photo.storage_key}").status_code == 404


def test_actions_need_reasons_and_go_through_the_lifecycle(client, staff_user, db_session, make_complaint,
                                                           department):
    dept, made = arrange(db_session, make_complaint, department, n=1)
    login(client, staff_user("worker", communities=[HOME]))
    post(client, f"/console/complaints/{made[0].id}/act", action="reject", reason="not_ours")
    db_session.expire_all()
    assert db_session.get(Complaint, made[0].id).state == "submitted"
    post(client, f"/console/complaints/{made[0].id}/act", action="request_info", note="请补充具体楼栋")
    db_session.expire_all()
    assert db_session.get(Complaint, made[0].id).state == "need_info"
    events = db_session.exec(select(ComplaintEvent.action).where(ComplaintEvent.complaint_id == made[0].id)).all()
    assert events == ["submit", "request_info"]


def test_export_is_masked_and_figures_render(client, staff_user, db_session, make_complaint, department):
    dept, made = arrange(db_session, make_complaint, department)
    login(client, staff_user("worker", communities=[HOME]))
    resp = client.get("/console/complaints/export.xlsx")
    sheet = load_workbook(io.BytesIO(resp.data)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row]
    assert "张**" in cells and "138****5678" in cells
    assert not any("13812345678" in c or "13912345678" in c or "张三丰" in c for c in cells)
    assert any("139****5678" in c for c in cells)
    html = client.get("/console/complaints/figures").get_data(as_text=True)
    assert "按类别" in html and "<svg" in html and "环境卫生" in html


def test_worker_enters_a_complaint_for_a_resident(client, staff_user, db_session):
    community_named(db_session, HOME)
    db_session.commit()
    worker = staff_user("worker", communities=[HOME])
    login(client, worker)
    cid = community_named(db_session, HOME).id
    resp = client.post("/console/complaints/new", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, "/console/complaints/new"), "community_id": str(cid),
        "category": "facility", "description": "电话反映：北门路灯不亮", "location_label": "北门",
        "photo": (io.BytesIO(jpeg_with_metadata()), "p.jpg")})
    assert resp.status_code == 302
    c = db_session.exec(select(Complaint)).one()
    assert (c.state, c.entered_by, c.community_id, c.ticket is not None) == ("submitted", worker.username, cid, True)
    other = community_named(db_session, OTHER).id
    db_session.commit()
    resp = client.post("/console/complaints/new", data={"csrf_token": csrf_token(client, "/console/complaints/new"),
                                                         "community_id": str(other), "category": "facility",
                                                         "description": "x"})
    assert resp.status_code == 404


def test_department_sees_phones_in_the_description_masked(client, staff_user, db_session, make_complaint,
                                                          department):
    """Issue 17 item 7: the reporter's phone was masked for departments, the same phone in the text was not."""
    dept, made = arrange(db_session, make_complaint, department, n=1)
    made[0].description = "楼道漏水，请打139-1234-5678或+86 137 0000 1111"
    made[0].department_id = dept.id
    made[0].state = "dispatched"
    db_session.commit()
    login(client, staff_user("department", department=dept.name))
    detail = client.get(f"/console/complaints/{made[0].id}").get_data(as_text=True)
    assert "139****5678" in detail and "137****1111" in detail
    assert "1234-5678" not in detail and "0000 1111" not in detail
    client.post("/console/logout", data={"csrf_token": csrf_token(client, "/console/complaints/")})
    login(client, staff_user("worker", communities=[HOME]))
    assert "139-1234-5678" in client.get(f"/console/complaints/{made[0].id}").get_data(as_text=True)
