"""``notice send`` and ``notice list --json``: notices (公告/通知) from the command line.

``send`` writes the notice and, unless ``--at`` is later, queues it at once for every
bound resident in scope (the clock's ``notices.send`` sends scheduled ones when due);
it prints the notice's id.  An unknown community, building or stairwell exits non-zero
and writes nothing.
"""
from __future__ import annotations

import json

import click
from flask.cli import with_appcontext
from sqlmodel import Session, select

from bot import db
from bot.cli.surveys import find_community, parse_time
from bot.runtime import now as clock_now, render
from handlers.notices import figures, service
from handlers.notices.scope import ScopeError
from models import Notice
from models.audit import record
from models.localtime import show
from models.notices import NOTICE_KINDS


@click.group("notice")
def group() -> None:
    """Notices (公告/通知) to a community, a building or a stairwell."""


@group.command("send")
@click.option("--community", required=True, help="The community's name, code or id.")
@click.option("--scope", default="", help='"3号楼" or "3号楼/2单元"; none: the whole community.')
@click.option("--title", required=True, help="The notice's title.")
@click.option("--body", required=True, help="The notice's text.")
@click.option("--kind", default="其他", type=click.Choice(NOTICE_KINDS), help="What it is about.")
@click.option("--at", "at", default=None, help="Send at this time (ISO 8601, local time without an offset).")
@with_appcontext
def send(community: str, scope: str, title: str, body: str, kind: str, at: str | None) -> None:
    """Write a notice and queue it (now, or at --at); prints its id."""
    send_at, now = parse_time(at), clock_now()
    with Session(db.engine()) as session:
        try:
            notice = service.create(session=session, community=find_community(community, session=session), title=title,
                                    body=body, scope=scope, kind=kind, send_at=send_at, actor="cli", now=now)
            service.send_if_due(notice, session=session, now=now, render=render)
        except (service.NoticeError, ScopeError) as exc:
            raise click.ClickException(str(exc)) from exc
        record(actor="cli", action="notice.create", target=f"notice:{notice.id}",
               after={"title": notice.title, "scope": scope or "全小区", "send_at": show(notice.send_at)}, session=session)
        session.commit()
        click.echo(notice.id)


@group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array (for scripts).")
@click.option("--community", default=None, help="Only this community's notices.")
@with_appcontext
def list_notices(as_json: bool, community: str | None) -> None:
    """Notices, newest first, with their scope, status and delivery figures."""
    with Session(db.engine()) as session:
        query = select(Notice).order_by(Notice.id.desc())
        if community:
            query = query.where(Notice.community_id == find_community(community, session=session).id)
        rows = [as_dict(row) for row in figures.listing(session.exec(query).all(), session=session)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for row in rows:
        click.echo(f"{row['id']}\t{row['status']}\t{row['scope']}\t{row['title']}\t"
                   f"{row['sent']}/{row['recipients']}（失败 {row['failed']}）")


def as_dict(row: dict) -> dict:
    notice = row["notice"]
    return {"id": notice.id, "title": notice.title, "scope": row["scope"], "status": notice.status,
            "kind": notice.kind, "community_id": notice.community_id, "send_at": show(notice.send_at),
            "recipients": row["recipients"], "sent": row["sent"], "failed": row["failed"],
            "waiting": row["waiting"]}


commands = [group]
