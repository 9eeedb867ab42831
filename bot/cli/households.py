"""``households import FILE``, ``user create USERNAME`` and ``user password USERNAME``."""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session, select
from werkzeug.security import generate_password_hash

from bot import db
from handlers.households.roster import import_roster
from handlers.households.staff import StaffError, change_password, create_staff
from models import StaffUser
from models.audit import record

MAX_ERRORS_SHOWN = 200


class _Bar:
    """A tqdm bar per phase, fed by the import's progress callback."""

    def __init__(self, enabled: bool):
        self.enabled, self.bars = enabled, {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        label = {"check": "检查", "write": "写入"}.get(phase, phase)
        bar = self.bars.get(phase) or self.bars.setdefault(phase, tqdm(total=total, desc=label, unit="户",
                                                                        file=sys.stderr))
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


@click.group("households")
def households() -> None:
    """Households and rosters."""


@households.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--create-communities", is_flag=True, help="Create communities named in the file that do not exist.")
@click.option("--progress/--no-progress", default=True, show_default=True)
@with_appcontext
def import_command(path: str, create_communities: bool, progress: bool) -> None:
    """Import a roster (.xlsx or .csv): all-or-nothing and idempotent."""
    bar = _Bar(progress)
    with Session(db.engine(), expire_on_commit=False) as session:
        try:
            result = import_roster(path, session=session, filename=path, create_communities=create_communities,
                                   progress=bar, actor="cli",
                                   id_key=current_app.config["LINLI"]["privacy"]["id_hash_key"])
        finally:
            bar.close()
        if not result.ok:
            session.rollback()
            for error in result.errors[:MAX_ERRORS_SHOWN]:
                click.echo(str(error), err=True)
            more = len(result.errors) - MAX_ERRORS_SHOWN
            tail = f"（另有 {more} 处错误未列出）" if more > 0 else ""
            raise click.ClickException(f"花名册有 {len(result.errors)} 处错误{tail}，未导入任何数据。")
        session.commit()
    click.echo(f"导入完成：共 {result.total} 户，新增 {result.created}，更新 {result.updated}，"
               f"未变 {result.unchanged}；新建楼栋 {result.buildings_created}。")


@click.group("user")
def user() -> None:
    """Staff accounts of the console."""


@user.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(["admin", "worker", "department"]), required=True)
@click.option("--community", "communities", multiple=True, help="A community the worker serves (repeatable).")
@click.option("--department", default=None, help="The department of a department account.")
@click.option("--name", "display_name", default="", help="Display name.")
@with_appcontext
def create_user(username: str, role: str, communities: tuple[str, ...], department: str | None,
                display_name: str) -> None:
    """Create a console account; the password is read from standard input."""
    password = read_password()
    with Session(db.engine()) as session:
        try:
            staff = create_staff(username=username, password_hash=generate_password_hash(password),
                                 role=role, communities=communities, department=department,
                                 display_name=display_name, session=session)
        except StaffError as exc:
            raise click.ClickException(str(exc)) from exc
        record(actor="cli", action="staff.create", target=f"staff:{staff.id}",
               after={"username": username, "role": role, "communities": list(communities),
                      "department": department}, session=session)
        session.commit()
    click.echo(f"已创建账号 {username}（{role}）")


@user.command("password")
@click.argument("username")
@with_appcontext
def set_password(username: str) -> None:
    """Set a new password (read from standard input); the account's console sessions end."""
    password = read_password()
    with Session(db.engine()) as session:
        staff = session.exec(select(StaffUser).where(StaffUser.username == username)).first()
        if staff is None:
            raise click.ClickException(f"没有账号 {username}")
        change_password(staff, generate_password_hash(password), session=session)
        record(actor="cli", action="staff.password", target=f"staff:{staff.id}", session=session)
        session.commit()
    click.echo(f"已修改账号 {username} 的密码，其已登录的会话均已失效")


def read_password() -> str:
    stream = sys.stdin
    if stream.isatty():
        password = click.prompt("密码", hide_input=True, confirmation_prompt=True)
    else:
        password = stream.readline().rstrip("\r\n")
    if len(password) < 8:
        raise click.ClickException("密码至少 8 位")
    return password


commands = [households, user]
