"""``department create NAME``, ``department list --json``, ``department import FILE``: where complaints go."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from bot import db
from handlers.complaints.department_import import import_departments
from handlers.complaints.departments import (DepartmentError, DepartmentSpec, as_audit, create_department,
                                             describe_all)
from models.audit import record


@click.group("department")
def group() -> None:
    """Departments that handle dispatched complaints (物业, 市政, 燃气…)."""


@group.command("create")
@click.argument("name")
@click.option("--category", "categories", multiple=True, help="A complaint category code it handles (repeatable).")
@click.option("--community", "communities", multiple=True,
              help="A community it serves (repeatable; none: every community).")
@click.option("--supervisor", "supervisors", multiple=True, help="Username told of overdue complaints (repeatable).")
@click.option("--phone", default="", help="Contact phone.")
@click.option("--phone-public", is_flag=True, help="Tell residents the phone when a complaint is dispatched.")
@click.option("--hours", default="", help="Working hours, as people write them.")
@with_appcontext
def create(name: str, categories: tuple[str, ...], communities: tuple[str, ...], supervisors: tuple[str, ...],
           phone: str, phone_public: bool, hours: str) -> None:
    """Create a department; prints its id."""
    spec = DepartmentSpec(name=name, categories=list(categories), communities=list(communities),
                          supervisors=list(supervisors), phone=phone, phone_public=phone_public, hours=hours)
    with Session(db.engine()) as session:
        try:
            department = create_department(spec, settings=current_app.config["LINLI"], session=session)
        except DepartmentError as exc:
            raise click.ClickException(str(exc)) from exc
        record(actor="cli", action="department.create", target=f"department:{department.id}",
               after=as_audit(spec), session=session)
        session.commit()
        click.echo(department.id)


@group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array (for scripts).")
@click.option("--all", "include_retired", is_flag=True, help="Also retired departments.")
@with_appcontext
def list_departments(as_json: bool, include_retired: bool) -> None:
    """Departments with their categories, communities and staff accounts."""
    with Session(db.engine()) as session:
        items = describe_all(include_retired=include_retired, session=session)
    if as_json:
        click.echo(json.dumps(items, ensure_ascii=False, indent=1))
        return
    for item in items:
        click.echo(f"{item['id']}  {item['name']}{'（已撤销）' if item['retired'] else ''}  "
                   f"类别：{'、'.join(item['categories']) or '无'}  小区：{'、'.join(item['communities']) or '全部'}  "
                   f"人员：{'、'.join(item['staff']) or '无'}")
    click.echo(f"共 {len(items)} 个部门")


@group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_command(path: str) -> None:
    """Create or update departments from .xlsx/.csv (部门名称, 承办类别, 服务小区, 负责人, 联系电话, 电话公开, 工作时间)."""
    with Session(db.engine()) as session:
        result = import_departments(path, session=session, settings=current_app.config["LINLI"], filename=path)
        if not result.ok:
            session.rollback()
            for error in result.errors:
                click.echo(error, err=True)
            raise click.ClickException(f"部门表有 {len(result.errors)} 处错误，未导入任何数据。")
        record(actor="cli", action="department.import", target=Path(path).name[:100],
               after={"created": result.created, "updated": result.updated}, session=session)
        session.commit()
    click.echo(f"导入完成：新增 {result.created} 个部门，更新 {result.updated} 个。")


commands = [group]
