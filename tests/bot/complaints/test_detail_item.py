"""The complaint's console page names the renovation item it is linked to, with a link to the item's page."""
from __future__ import annotations

from handlers.projects import editing
from models.projects import ProjectItem, ensure_project
from tests.fixtures.console import community_named, csrf_token, login

HOME = "幸福里小区"


def test_complaint_page_links_its_item_and_says_nothing_when_unlinked(client, staff_user, db_session,
                                                                      make_complaint, department):
    dept = department()
    home = community_named(db_session, HOME)
    db_session.commit()
    linked, alone = make_complaint(community_id=home.id, description="屋顶漏水"), make_complaint(
        community_id=home.id, openid="o-alone", description="路灯坏了")
    item = ProjectItem(project_id=ensure_project(home.id, session=db_session).id, name="屋面防水",
                       status="working", progress=35)
    db_session.add(item)
    db_session.flush()
    editing.link_complaint(linked, item, session=db_session, by="staff:1")
    linked.department_id, linked.state = dept.id, "dispatched"
    db_session.commit()

    login(client, staff_user("worker", communities=[HOME]))
    page = client.get(f"/console/complaints/{linked.id}").get_data(as_text=True)
    assert f'<a href="/console/projects/items/{item.id}">屋面防水</a>（施工中 35%）' in page
    assert client.get(f"/console/projects/items/{item.id}").status_code == 200
    assert "关联改造内容" not in client.get(f"/console/complaints/{alone.id}").get_data(as_text=True)

    client.post("/console/logout", data={"csrf_token": csrf_token(client, "/console/complaints/")})
    login(client, staff_user("department", department=dept.name))
    page = client.get(f"/console/complaints/{linked.id}").get_data(as_text=True)
    assert "屋面防水（施工中 35%）" in page and "/console/projects/items/" not in page  # not their page

    editing.link_complaint(linked, None, session=db_session, by="staff:1")  # unlinked: the row stays, no item
    db_session.commit()
    assert "关联改造内容" not in client.get(f"/console/complaints/{linked.id}").get_data(as_text=True)
