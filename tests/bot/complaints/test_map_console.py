"""The complaint map over HTTP: the demo plan, saving positions (audited), addresses that do not exist."""
from __future__ import annotations

from sqlmodel import Session, select

from bot.demo import LOADERS, load_demo
from models import AuditLog, Building
from tests.fixtures.console import StaffAccount, csrf_token, login


def test_demo_plan_is_set_once_and_drawn(app, client):
    engine = app.extensions["linli.engine"]
    with app.app_context():
        lines = list(load_demo(app))
    assert "bot.complaints.demo_map" in LOADERS and any("诉求地图" in line for line in lines)
    with Session(engine) as session:
        one = session.exec(select(Building).where(Building.name == "1号楼")).one()
        assert (one.plan_x, one.plan_y, one.latitude) == (1, 1, 38.0428)
        one.plan_x = 5  # an admin moved it
        session.add(one)
        session.commit()
    with app.app_context():
        assert not any("诉求地图" in line for line in load_demo(app))
    with Session(engine) as session:
        assert session.exec(select(Building).where(Building.name == "1号楼")).one().plan_x == 5
    login(client, StaffAccount(id=0, username="demo_worker", role="worker", password="Linli-worker-2024"))
    page = client.get("/console/complaints/map").get_data(as_text=True)
    assert "按管理员设置的楼栋平面位置绘制" in page and page.count('class="marker"') == 3


def test_positions_are_saved_by_admins_audited_and_unknown_addresses_are_404(client, staff_user, roster, db_session):
    buildings = {b.name: b for b in db_session.exec(select(Building).where(Building.community_id == roster.id))}
    one, two = buildings["1号楼"], buildings["2号楼"]
    login(client, staff_user("admin"))
    url = f"/console/complaints/map/buildings?community={roster.id}"
    form = {"csrf_token": csrf_token(client, url), f"plan_x_{one.id}": "1", f"plan_y_{one.id}": "1",
            f"latitude_{two.id}": "38.04", f"longitude_{two.id}": "东经114"}
    page = client.post(url, data=form).get_data(as_text=True)
    assert "2号楼：经纬度只能填数字" in page and 'value="东经114"' in page  # what was typed stays to be fixed
    db_session.expire_all()
    assert db_session.get(Building, one.id).plan_x is None
    resp = client.post(url, data={**form, f"longitude_{two.id}": "114.5"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/console/complaints/map?community={roster.id}")
    db_session.expire_all()
    assert (db_session.get(Building, one.id).plan_x, db_session.get(Building, two.id).longitude) == (1, 114.5)
    assert db_session.exec(select(AuditLog).where(AuditLog.action == "building.positions")).one().community_id == roster.id
    for path in ("/console/complaints/map/buildings?community=99999999999999999999",
                 "/console/complaints/map/buildings?community=4242", "/console/complaints/map?community=abc",
                 "/console/complaints/map?community=99999999999999999999"):
        assert client.get(path).status_code == 404, path
