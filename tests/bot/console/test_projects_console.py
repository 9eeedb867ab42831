"""The console's project pages: a worker keeps their community's project; the city overview for admins."""
from __future__ import annotations

import io
from datetime import date

from PIL import Image
from sqlmodel import select

from handlers.projects import editing
from models import AuditLog, OutboundMessage, Resident
from models.projects import ComplaintItem, ItemFollow, ItemPhoto, ProjectItem, ProjectStage, ensure_project, stages_of
from tests.fixtures.console import community_named, csrf_token, login

HOME, OTHER = "幸福里小区", "和平里小区"


def post(client, url, data, **kw):
    return client.post(url, data={"csrf_token": csrf_token(client, "/console/"), **data}, **kw)


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (200, 120, 60)).save(out, "JPEG")
    return out.getvalue()


def test_worker_moves_a_stage_and_keeps_an_item(client, staff_user, db_session, make_complaint):
    home, other = community_named(db_session, HOME), community_named(db_session, OTHER)
    db_session.commit()
    login(client, staff_user("worker", communities=[HOME]))
    assert client.get(f"/console/projects/{other.id}").status_code == 404
    page = client.get(f"/console/projects/{home.id}").get_data(as_text=True)
    assert "意愿征询" in page and "长效管理" in page
    project = ensure_project(home.id, session=db_session)
    stage = next(s for s in stages_of(project.id, session=db_session) if s.name == "意愿征询")
    moved = post(client, f"/console/projects/stages/{stage.id}",
                 {"status": "active", "planned_start": "2026-05-01", "planned_end": "2026-05-31", "note": "入户征询"})
    assert moved.status_code == 302
    db_session.expire_all()
    stages = {s.name: s for s in stages_of(project.id, session=db_session)}
    assert stages["意愿征询"].status == "active" and str(stages["意愿征询"].planned_end) == "2026-05-31"
    assert stages["申报/纳入计划"].status == "done"
    bad = post(client, f"/console/projects/stages/{stage.id}", {"status": "active", "planned_start": "五月"})
    assert bad.status_code == 302 and "格式不正确" in client.get(f"/console/projects/{home.id}").get_data(as_text=True)

    made = post(client, f"/console/projects/{home.id}/items", {"name": "屋面防水", "category": "basic",
                                                             "scope": "community"})
    item = db_session.exec(select(ProjectItem)).one()
    assert made.headers["Location"].endswith(f"/console/projects/items/{item.id}")
    resident = Resident(openid="o-fan")
    db_session.add(resident)
    db_session.flush()
    db_session.add(ItemFollow(item_id=item.id, resident_id=resident.id))
    db_session.commit()
    saved = post(client, f"/console/projects/items/{item.id}", {"name": "屋面防水", "category": "basic",
                                                               "scope": "community", "status": "working",
                                                               "progress": "35", "contractor": "李四"})
    assert saved.status_code == 302
    assert [m.openid for m in db_session.exec(select(OutboundMessage)).all()] == ["o-fan"]
    photo = post(client, f"/console/projects/items/{item.id}/photos",
                 {"photo": (io.BytesIO(jpeg()), "p.jpg"), "caption": "铺设防水层"},
                 content_type="multipart/form-data")
    assert photo.status_code == 302
    stored = db_session.exec(select(ItemPhoto)).one()
    assert client.get(f"/console/projects/photos/{stored.id}").data[:2] == b"\xff\xd8"

    complaint = make_complaint(community_id=home.id, description="屋顶漏水")
    stranger = make_complaint(community_id=other.id, description="别处的事", openid="o-else")
    linked = post(client, f"/console/projects/items/{item.id}/complaints", {"ticket": complaint.ticket})
    assert linked.status_code == 302
    refused = post(client, f"/console/projects/items/{item.id}/complaints", {"ticket": stranger.ticket})
    assert refused.status_code == 302
    assert db_session.exec(select(ComplaintItem.complaint_id)).all() == [complaint.id]
    assert complaint.ticket in client.get(f"/console/projects/items/{item.id}").get_data(as_text=True)
    from_complaint = post(client, f"/console/projects/{home.id}/items", {"ticket": stranger.ticket})
    assert from_complaint.status_code == 302 and len(db_session.exec(select(ProjectItem)).all()) == 1
    actions = db_session.exec(select(AuditLog.action).where(AuditLog.action.startswith("project."))).all()
    assert actions == ["project.stage", "project.item_create", "project.item_save", "project.photo",
                       "project.link_complaint"]


def test_city_overview_groups_by_street_with_stages_and_counts(app, client, staff_user, db_session, make_complaint):
    a, b = community_named(db_session, "甲小区"), community_named(db_session, "乙小区")
    a.district, b.district = "新华区 幸福街道", "长安区 建设街道"
    db_session.commit()
    project = ensure_project(b.id, session=db_session)
    stage = db_session.exec(select(ProjectStage).where(ProjectStage.project_id == project.id,
                                                       ProjectStage.name == "施工")).one()
    editing.update_stage(stage, session=db_session, status="active")
    db_session.add(ProjectItem(project_id=project.id, name="管网", planned_end=date(2020, 1, 1)))
    db_session.commit()
    make_complaint(community_id=b.id)
    login(client, staff_user("worker", communities=["甲小区"]))
    page = client.get("/console/projects").get_data(as_text=True)
    assert "甲小区" in page and "乙小区" not in page  # a worker sees their own
    admin = app.test_client()
    login(admin, staff_user("admin"))
    page = admin.get("/console/projects").get_data(as_text=True)
    assert "新华区 · 幸福街道" in page and "长安区 · 建设街道" in page
    row = page.split('data-community="乙小区"')[1].split("</tr>")[0]
    assert "施工（进行中）" in row and "<td>1</td>" in row and '<td class="error">1</td>' in row
    assert "申报/纳入计划：1 个小区" in page and "施工：1 个小区" in page
