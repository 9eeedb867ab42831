"""The demo roster and accounts: loaded twice without change, and usable."""
from sqlmodel import Session, func, select

from bot import demo_households
from bot.demo import ensure_community
from handlers.complaints.departments import describe
from models import Department, Household, StaffUser
from tests.fixtures.console import StaffAccount, login


def test_demo_roster_and_accounts_load_once(app, client):
    engine = app.extensions["linli.engine"]
    for _ in range(2):
        with app.app_context(), Session(engine) as session:  # the loaders read the app's categories
            ensure_community(session=session)
            lines = demo_households.load(session=session)
            session.commit()
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Household)).one() == 96
        assert session.exec(select(func.count()).select_from(StaffUser)).one() == 3
        assert {d.name for d in session.exec(select(Department))} == {"物业服务中心", "市政维修"}
        wuye = describe(session.exec(select(Department).where(Department.name == "物业服务中心")).one(), session=session)
        assert wuye["categories"] == ["environment", "greening", "parking"] and wuye["communities"] == []
        assert wuye["staff"] == ["demo_wuye"] and wuye["supervisors"] == ["demo_wuye"] and wuye["phone_public"]
        worker = session.exec(select(StaffUser).where(StaffUser.username == "demo_worker")).one()
    assert "新增 0" in lines[0]
    assert any("demo_worker / Linli-worker-2024" in line for line in lines)
    # The console masks names: the one household to bind to in the simulator is printed whole.
    assert "演示户（绑定用）：幸福里小区 1号楼 1单元 101，户主 李桂兰，电话 13900000001" in lines
    login(client, StaffAccount(id=worker.id, username="demo_worker", role="worker", password="Linli-worker-2024"))
    assert "共 96 户" in client.get("/console/households").get_data(as_text=True)
