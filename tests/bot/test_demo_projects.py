"""The demo project: items with progress and photos, loaded twice without change, read by the CLI."""
import json

from sqlmodel import Session, func, select

from bot import demo_households, demo_projects, runtime
from bot.demo import ensure_community
from models import ProjectItem
from models.projects import ItemPhoto, Project


def test_demo_project_loads_once_with_photos(app, runner):
    engine = app.extensions["linli.engine"]
    for _ in range(2):
        with app.app_context(), Session(engine) as session:
            ensure_community(session=session)
            demo_households.load(session=session)
            lines = demo_projects.load(session=session)
            session.commit()
    assert lines == ["改造项目：幸福里小区 4 项改造内容、4 张进度照片，见控制台“改造项目”，居民回复“进度”查看"]
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Project)).one() == 1
        elevator = session.exec(select(ProjectItem).where(ProjectItem.name == "加装电梯")).one()
        assert (elevator.scope, elevator.unit, elevator.category) == ("stairwell", "2", "upgrade")
        key = session.exec(select(ItemPhoto.media_key)).first()
    assert runtime.services(app).storage.get(key)[:2] == b"\xff\xd8"
    shown = json.loads(runner.invoke(args=["project", "show", "--community", "幸福里小区", "--json"]).output)
    assert [i["name"] for i in shown["items"]] == ["雨污管网改造", "屋面防水", "加装电梯", "外墙保温"]
    assert shown["items"][1]["place"] == "3号楼" and shown["items"][2]["place"] == "3号楼2单元"
