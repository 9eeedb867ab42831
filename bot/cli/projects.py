"""``project show --community NAME [--json]``: a community's renovation project (INTERFACES.md)."""
from __future__ import annotations

import json

import click
from flask.cli import with_appcontext
from sqlmodel import Session

from bot import db, runtime
from handlers.projects import service


@click.group("project")
def group() -> None:
    """The renovation project of a community (stages and items)."""


@group.command("show")
@click.option("--community", "community_name", required=True, help="The community's name.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (for scripts).")
@with_appcontext
def show(community_name: str, as_json: bool) -> None:
    """The project's current stage, its stages with dates and its items with progress."""
    now = runtime.now()
    with Session(db.engine()) as session:
        try:
            community = service.community_named(community_name, session=session)
        except service.ProjectError as exc:
            raise click.ClickException(str(exc)) from exc
        data = service.show(community, session=session, now=now)
        session.commit()  # a project made on first read, stages brought up to date
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    click.echo(f"{data['community']} {data['project']}：当前阶段 {data['stage']}")
    for stage in data["stages"]:
        click.echo(f"  {stage['order']}. {stage['name']} {stage['status_label']} {stage['note']}".rstrip())
    for item in data["items"]:
        click.echo(f"  - {item['name']}（{item['place']}，{item['category_label']}）{item['status_label']} {item['progress']}%")


commands = [group]
