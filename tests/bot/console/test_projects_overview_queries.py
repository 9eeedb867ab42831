"""The city overview reads a handful of grouped queries, not a few per community; the stage job runs from the CLI."""
from sqlmodel import select

from models import Community
from models.projects import ProjectStage, ensure_project
from surveys import runs
from tests.fixtures.console import login


def add_communities(db_session, start, n):
    for k in range(start, start + n):
        community = Community(name=f"小区{k:03d}", district="新华区 幸福街道" if k % 2 else "长安区 建设街道")
        db_session.add(community)
        db_session.flush()
        ensure_project(community.id, session=db_session)
    db_session.commit()


def test_overview_queries_do_not_grow_with_communities(client, staff_user, db_session, count_queries):
    login(client, staff_user("admin"))
    add_communities(db_session, 0, 5)
    client.get("/console/projects")
    with count_queries() as few:
        assert client.get("/console/projects").status_code == 200
    add_communities(db_session, 5, 60)
    client.get("/console/projects")
    with count_queries() as many:
        page = client.get("/console/projects").get_data(as_text=True)
    assert page.count("data-community=") == 65
    assert len(many) == len(few) <= 12, many.verbs()


def test_stage_job_runs_from_the_cli(runner, db_session, seed_community, publish_run):
    seeded = seed_community()
    project = ensure_project(seeded.community.id, session=db_session)
    db_session.commit()
    run = publish_run(seeded.community)
    result = runner.invoke(args=["jobs", "run", "projects.sync_stages"])
    assert result.exit_code == 0 and "3 stage changes" in result.output, result.output
    again = runner.invoke(args=["jobs", "run", "projects.sync_stages"])
    assert "0 stage changes" in again.output
    db_session.expire_all()
    stage = db_session.exec(select(ProjectStage).where(ProjectStage.project_id == project.id,
                                                       ProjectStage.name == "意愿征询")).one()
    assert stage.run_id == run.id and stage.status == "active"
    assert runs.get(run.id, session=db_session).status == "open"
