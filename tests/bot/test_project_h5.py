"""The H5 project page: timeline, items with photos, masked contacts, following an item and being told."""
import io
import re
from datetime import datetime, timezone

from PIL import Image
from sqlmodel import select

from bot import runtime
from handlers.projects import editing
from models import OutboundMessage
from models.projects import ItemFollow, ProjectItem, ensure_project


def link_from_chat(wechat, openid):
    status, reply = wechat.text(openid, "进度")
    assert status == 200
    return re.search(r'href="[^"]*(/h5/project\?t=[^"]+)"', reply["Content"]).group(1)


def csrf(client, url):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def jpeg():
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 160, 200)).save(out, "JPEG")
    return out.getvalue()


def test_page_shows_timeline_items_photos_and_masked_contacts(app, client, wechat, db_session, seed_community,
                                                              bind_resident, clock, render):
    seeded = seed_community()
    project = ensure_project(seeded.community.id, session=db_session)
    now = datetime.fromtimestamp(clock.now, timezone.utc)
    item = editing.save_item(ProjectItem(project_id=project.id),
                             {"name": "屋面防水", "scope": "building", "building_id": seeded.households[0].building_id,
                              "progress": 45, "status": "working", "contractor": "张三丰",
                              "contractor_phone": "13812341234", "budget": 30, "fund_government": 20},
                             session=db_session, now=now, render=render)
    storage = runtime.services(app).storage
    photo = editing.add_photo(item, jpeg(), session=db_session, storage=storage, now=now, by="worker1",
                              caption="防水层铺设")
    db_session.commit()
    bind_resident(seeded.households[0], "o-h5")
    url = link_from_chat(wechat, "o-h5")
    page = client.get(url).get_data(as_text=True)
    assert 'data-current-stage>现在：申报/纳入计划（进行中）' in page
    assert page.count('class="stage ') == 7 and "长效管理" in page
    assert "屋面防水" in page and "完成 45%" in page and "与您家相关" in page
    assert "张**" in page and "138****1234" in page and "13812341234" not in page
    assert "政府补助 20.0 万元" in page and "防水层铺设" in page
    img = client.get(f"/h5/project/photos/{photo.id}?{url.split('?')[1]}")
    assert img.status_code == 200 and img.data[:2] == b"\xff\xd8"
    assert client.get(f"/h5/project/photos/{photo.id}?t=forged").status_code == 403


def test_a_follower_is_told_once_per_change(app, client, wechat, db_session, seed_community, bind_resident, clock,
                                            render):
    seeded = seed_community()
    project = ensure_project(seeded.community.id, session=db_session)
    now = datetime.fromtimestamp(clock.now, timezone.utc)
    item = editing.save_item(ProjectItem(project_id=project.id), {"name": "雨污管网改造"}, session=db_session, now=now,
                             render=render)
    db_session.commit()
    bind_resident(seeded.households[0], "o-follow")
    bind_resident(seeded.households[1], "o-other")
    token = link_from_chat(wechat, "o-follow").split("t=")[1]
    form = {"t": token, "on": "1", "csrf_token": csrf(client, f"/h5/project?t={token}")}
    response = client.post(f"/h5/project/items/{item.id}/follow", data=form)
    assert response.status_code == 303
    client.post(f"/h5/project/items/{item.id}/follow", data=form)  # twice: still one row
    db_session.expire_all()
    assert len(db_session.exec(select(ItemFollow)).all()) == 1
    assert "已关注" in client.get(f"/h5/project?t={token}").get_data(as_text=True)
    item = db_session.get(ProjectItem, item.id)
    editing.save_item(item, {"progress": 50, "status": "working"}, session=db_session, now=now, render=render)
    editing.save_item(item, {"progress": 50, "name": "雨污管网改造（一期）"}, session=db_session, now=now, render=render)
    db_session.commit()
    sent = db_session.exec(select(OutboundMessage).where(OutboundMessage.kind == "project")).all()
    assert [m.openid for m in sent] == ["o-follow"]
    assert "雨污管网改造" in sent[0].payload["text"] and "施工中" in sent[0].payload["text"] and "50%" in sent[0].payload["text"]


def test_forged_link_and_other_communities_are_refused(client, wechat, db_session, seed_community, bind_resident,
                                                       clock, render):
    assert client.get("/h5/project?t=forged").status_code == 403
    mine, other = seed_community("甲小区"), seed_community("乙小区")
    project = ensure_project(other.community.id, session=db_session)
    now = datetime.fromtimestamp(clock.now, timezone.utc)
    item = editing.save_item(ProjectItem(project_id=project.id), {"name": "加装电梯"}, session=db_session,
                             now=now, render=render)
    editing.save_item(ProjectItem(project_id=ensure_project(mine.community.id, session=db_session).id),
                      {"name": "路面修补"},
                      session=db_session, now=now, render=render)
    db_session.commit()
    bind_resident(mine.households[0], "o-mine")
    token = link_from_chat(wechat, "o-mine").split("t=")[1]
    assert "加装电梯" not in client.get(f"/h5/project?t={token}").get_data(as_text=True)
    form = {"t": token, "on": "1", "csrf_token": csrf(client, f"/h5/project?t={token}")}
    assert client.post(f"/h5/project/items/{item.id}/follow", data=form).status_code == 404
