"""``flask --app bot complaints ...``: complaints for operators (no personal data)."""
from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import select

from bot import db
from bot.complaints.services import current_env
from handlers.complaints import calendar, categories, queries
from handlers.complaints.deadlines import is_overdue
from handlers.complaints.labels import STATE_LABELS
from models import Community, Department


@click.group("complaints")
def group() -> None:
    """Photo complaints (随手拍)."""


@group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array (for scripts).")
@click.option("--state", default="", help="A state (submitted, dispatched, ...) or 'open'.")
@click.option("--category", default="")
@click.option("--overdue", is_flag=True)
@click.option("--limit", default=1000, show_default=True)
@with_appcontext
def list_complaints(as_json: bool, state: str, category: str, overdue: bool, limit: int) -> None:
    """Complaints with their state, category, location and ticket number, newest first."""
    env = current_env()
    rows = queries.all_matching(queries.Scope(),
                                queries.Filters(state=state, category=category, overdue=overdue), env.now, limit=limit,
                                session=env.session)
    communities = dict(env.session.exec(select(Community.id, Community.name)).all())
    departments = dict(env.session.exec(select(Department.id, Department.name)).all())
    items = [as_dict(c, communities, departments, env.now) for c in rows]
    if as_json:
        click.echo(json.dumps(items, ensure_ascii=False, indent=1))
        return
    for item in items:
        click.echo(f"{item['ticket']}  {item['state_label']:<8} {item['category_name']:<8} "
                   f"{item['community'] or '-'}  {item['location']['label'] or ''}")
    click.echo(f"共 {len(items)} 件")


def as_dict(c, communities: dict, departments: dict, now) -> dict:
    settings = current_app.config["LINLI"]
    return {"id": c.id, "ticket": c.ticket, "state": c.state, "state_label": STATE_LABELS.get(c.state, c.state),
            "category": c.category, "category_name": categories.short_name(settings, c.category),
            "community": communities.get(c.community_id), "department": departments.get(c.department_id),
            "location": {"lat": c.latitude, "lng": c.longitude, "label": c.location_label,
                         "source": c.location_source},
            "submitted_at": c.submitted_at.isoformat() if c.submitted_at else None,
            "due_at": c.due_at.isoformat() if c.due_at else None, "overdue": is_overdue(c, now),
            "closure_reason": c.closure_reason, "hidden": c.hidden}


@group.command("calendar-seed")
@with_appcontext
def calendar_seed() -> None:
    """Copy holidays and make-up workdays from the data file into the editable table."""
    added = calendar.seed(current_app.config["LINLI"]["complaints"]["calendar_file"] or None, session=db.session())
    db.session().commit()
    click.echo(f"已写入 {added} 天")


commands = [group]
