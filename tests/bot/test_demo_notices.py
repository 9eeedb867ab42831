"""The demo notices: one sent to the whole community, one scheduled for 1号楼; loaded twice without change."""
from sqlmodel import Session, select

from bot import demo_households, demo_notices
from bot.demo import ensure_community
from models.notices import Notice


def test_demo_notices_load_once_through_the_service(app):
    engine = app.extensions["linli.engine"]
    said = []
    for _ in range(2):
        with app.app_context(), Session(engine) as session:
            ensure_community(session=session)
            demo_households.load(session=session)
            said.append(demo_notices.load(session=session))
            session.commit()
    assert "2 条示例通知" in said[0][0] and said[1] == ["通知公告：示例通知已在，见控制台“通知公告”"]
    with Session(engine) as session:
        rows = {n.source: n for n in session.exec(select(Notice)).all()}
    assert set(rows) == {"demo:meeting", "demo:water"}
    assert rows["demo:meeting"].status == "sent" and rows["demo:meeting"].building_id is None
    assert rows["demo:water"].status == "scheduled" and rows["demo:water"].building_id is not None
