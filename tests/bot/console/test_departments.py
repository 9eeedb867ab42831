"""The 部门 page (admins), gaps on the worker's home and in the figures, and department staff seeing 小区."""
from __future__ import annotations

from sqlmodel import select

from handlers.complaints.env import Actor
from handlers.complaints.lifecycle import transition
from models import AuditLog, Department
from tests.fixtures.complaints import WORKER, outbox_for
from tests.fixtures.console import community_named, csrf_token, login

HOME, OTHER = "幸福里小区", "和平里小区"


def post(client, url, data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/console/"), **data})


def test_only_admins_keep_departments(client, staff_user):
    login(client, staff_user("worker", communities=[HOME]))
    assert client.get("/console/departments").status_code == 403
    assert post(client, "/console/departments", {"name": "甲"}).status_code == 403


def test_admin_creates_edits_and_is_told_why_a_save_fails(client, staff_user, db_session):
    home = community_named(db_session, HOME)
    db_session.commit()
    boss = staff_user("worker", communities=[HOME], username="boss")
    login(client, staff_user("admin"))
    assert "部门" in client.get("/console/").get_data(as_text=True)
    made = post(client, "/console/departments", {"name": "燃气公司", "categories": ["safety", "water"],
                                                  "communities": [str(home.id)], "supervisors": [str(boss.id)],
                                                  "phone": "0311-96577", "phone_public": "1", "hours": "24小时"})
    assert made.status_code == 302
    page = client.get("/console/departments").get_data(as_text=True)
    assert "燃气公司" in page and "安全隐患、供水排水" in page and "0311-96577（对居民公开）" in page
    dept = db_session.exec(select(Department)).one()
    bad = post(client, f"/console/departments/{dept.id}", {"name": "燃气公司", "phone": "打电话"})
    assert bad.status_code == 400 and "联系电话格式不对" in bad.get_data(as_text=True)
    assert post(client, f"/console/departments/{dept.id}", {"name": "燃气集团", "categories": ["safety"]}).status_code \
        == 302
    db_session.expire_all()
    assert (dept.name, dept.categories) == ("燃气集团", ["safety"])
    again = post(client, "/console/departments", {"name": "燃气集团"})
    assert again.status_code == 400 and "已存在" in again.get_data(as_text=True)
    assert db_session.exec(select(AuditLog.action).order_by(AuditLog.id)).all()[-2:] == ["department.create",
                                                                                         "department.update"]


def test_retire_is_refused_while_complaints_are_open(client, staff_user, db_session, department, make_complaint,
                                                     complaint_env):
    dept = department()
    c = make_complaint(steps=[("dispatch", WORKER, {})])
    login(client, staff_user("admin"))
    refused = post(client, f"/console/departments/{dept.id}/retire", {})
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "还有 1 件未办结的诉求，请先把它们改派给其他部门" in page
    transition(c, "return", env=complaint_env(), actor=Actor("d", "department", dept.id), note="不归我们")
    db_session.commit()
    post(client, f"/console/departments/{dept.id}/retire", {})
    assert "已撤销" in client.get("/console/departments").get_data(as_text=True)
    assert f'<option value="{dept.id}">' not in client.get("/console/staff").get_data(as_text=True)
    assert f'<option value="{dept.id}"' not in client.get(f"/console/complaints/{c.id}").get_data(as_text=True)


def test_worker_home_and_figures_flag_categories_without_department(client, staff_user, db_session, department,
                                                                    make_complaint):
    cid = community_named(db_session, HOME).id
    db_session.commit()
    department(categories=("environment",))
    make_complaint(category="parking", community_id=cid)
    login(client, staff_user("worker", communities=[HOME]))
    for url in ("/console/", "/console/complaints/figures"):
        html = client.get(url).get_data(as_text=True)
        assert 'id="route-gaps"' in html and "停车秩序</strong>：幸福里小区，" in html and "1 件待派单" in html
        assert "环境卫生</strong>" not in html


def test_department_staff_see_the_community_in_queue_and_detail(client, staff_user, db_session, department,
                                                                make_complaint):
    """Issue 20 item 1: department staff serve no community, yet must read which one a complaint is in."""
    cid = community_named(db_session, HOME).id
    db_session.commit()
    department()
    c = make_complaint(community_id=cid, steps=[("dispatch", WORKER, {})])
    login(client, staff_user("department", department="物业公司"))
    queue = client.get("/console/complaints/").get_data(as_text=True)
    row = queue[queue.index(f'data-ticket="{c.ticket}"'):].split("</tr>")[0]
    assert f"<td>{HOME}</td>" in row
    assert f"<tr><th>小区</th><td>{HOME}</td></tr>" in client.get(f"/console/complaints/{c.id}").get_data(as_text=True)


def test_public_phone_reaches_the_resident_with_the_dispatch(db_session, department, make_complaint, app):
    from handlers.complaints.departments import spec_of, update_department
    dept = department()
    spec = spec_of(dept, session=db_session)
    spec.phone, spec.phone_public = "0311-86001234", True
    update_department(dept, spec, settings=app.config["LINLI"], session=db_session)
    db_session.commit()
    make_complaint(openid="oPhone", steps=[("dispatch", WORKER, {})])
    assert "物业公司联系电话：0311-86001234" in outbox_for(db_session, "oPhone")[-1].payload["text"]


def test_admin_imports_departments_from_a_spreadsheet(client, staff_user, db_session):
    import io

    from tests.fixtures.households import xlsx_bytes

    login(client, staff_user("admin"))
    data = xlsx_bytes([["市政维修", "water、facility", "", "", "", "", ""]],
                      header=["部门名称", "承办类别", "服务小区", "负责人", "联系电话", "电话公开", "工作时间"])
    resp = client.post("/console/departments/import", data={"csrf_token": csrf_token(client, "/console/"),
                                                            "file": (io.BytesIO(data), "部门.xlsx")},
                       content_type="multipart/form-data")
    assert resp.status_code == 302
    assert "新增 1 个部门" in client.get("/console/departments").get_data(as_text=True)
    assert db_session.exec(select(Department)).one().categories == ["water", "facility"]
