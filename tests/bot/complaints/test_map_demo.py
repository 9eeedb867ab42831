"""The demo community gets a plan on the complaint map; loading again keeps an admin's positions."""
from __future__ import annotations

from sqlmodel import Session, select

from bot.demo import LOADERS, load_demo
from models import Building
from tests.fixtures.console import StaffAccount, login


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
