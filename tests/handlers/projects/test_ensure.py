"""Every community has its project from the moment it exists: the roster and the console make it."""
from sqlmodel import select

from handlers.households.roster import import_roster
from models import Community
from models.projects import Project, stages_of
from tests.fixtures.console import csrf_token, login
from tests.fixtures.households import csv_bytes, roster_rows


def test_a_community_made_by_a_roster_import_has_its_project(db_session):
    result = import_roster(csv_bytes(roster_rows("新建小区")), session=db_session, filename="r.csv",
                           create_communities=True)
    assert result.ok and result.communities_created == 1
    community = db_session.exec(select(Community).where(Community.name == "新建小区")).one()
    project = db_session.exec(select(Project).where(Project.community_id == community.id)).one()
    assert len(stages_of(project.id, session=db_session)) == 7
    again = import_roster(csv_bytes(roster_rows("新建小区")), session=db_session, filename="r.csv",
                          create_communities=True)
    assert again.ok and len(db_session.exec(select(Project)).all()) == 1


def test_a_community_added_in_the_console_has_its_project(client, staff_user, db_session):
    login(client, staff_user("admin"))
    made = client.post("/console/communities", data={"csrf_token": csrf_token(client, "/console/"),
                                                     "name": "控制台小区", "district": "新华区 幸福街道"})
    assert made.status_code == 302
    community = db_session.exec(select(Community).where(Community.name == "控制台小区")).one()
    [project] = db_session.exec(select(Project).where(Project.community_id == community.id)).all()
    assert [s.status for s in stages_of(project.id, session=db_session)][:2] == ["active", "pending"]


def test_residents_read_a_company_in_full_and_a_persons_name_masked():
    from handlers.projects.service import item_dict
    from models.projects import ProjectItem

    company = item_dict(ProjectItem(id=1, project_id=1, name="屋面防水", contractor="冀安建设工程有限公司",
                                    contractor_phone="13931100001", supervisor="王建国"), {})
    assert company["contractor"] == "冀安建设工程有限公司" and company["contractor_phone"] == "139****0001"
    assert company["supervisor"] == "王**"
    staff = item_dict(ProjectItem(id=1, project_id=1, name="屋面防水", supervisor="王建国"), {}, unmasked=True)
    assert staff["supervisor"] == "王建国"
