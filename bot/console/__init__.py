"""``/console``: the staff console (Jinja2, Simplified Chinese, usable on a phone).

Views are thin: they check who may see what (``bot.console.auth``), call the
pure services in ``handlers.households`` and commit once per request.
Other features add pages with their own blueprint (or views on ``bp``) and a
line in ``bot.console.nav.NAV``.
"""
from __future__ import annotations

from importlib import import_module

from flask import Blueprint, current_app, redirect, render_template, url_for

from bot import extensions
from bot.console.auth import current_staff
from bot.console.nav import visible_items
from bot.runtime import now

bp = Blueprint("console", __name__, url_prefix="/console")


@bp.record_once
def _init_extensions(state) -> None:
    from bot.console.views import register_filters

    extensions.init_app(state.app)
    register_filters(state.app)


@bp.app_context_processor
def _console_globals() -> dict:
    staff = current_staff()
    endpoints = set(current_app.view_functions)
    return {"staff": staff, "nav_items": visible_items(staff.role if staff else None, endpoints)}


@bp.get("/")
def home():
    staff = current_staff()
    if staff is None:
        return redirect(url_for("console.login"))
    return render_template("console/home.html", sections=worker_day(staff), gaps=route_gaps(staff))


def worker_day(staff) -> list:
    """The worker's day (bot/console/todo.py): what waits for this staff member, in their scope."""
    from bot import db
    from bot.console import todo

    viewer = todo.Viewer(role=staff.role, community_ids=None if staff.is_admin else staff.community_ids,
                         department_id=staff.department_id, session=db.session(), now=now(),
                         settings=current_app.config["LINLI"])
    return todo.build(viewer)


def route_gaps(staff) -> list:
    """Categories no department receives in the communities this worker serves (all for admins)."""
    from bot import db
    from handlers.complaints.routing import gaps

    if staff.role not in ("admin", "worker"):
        return []
    return gaps(current_app.config["LINLI"], None if staff.is_admin else staff.community_ids, session=db.session())


# View modules register themselves on ``bp`` when imported.
VIEWS = ["errors", "login", "password", "communities", "households", "export", "roster", "bindings", "staff",
         "departments", "projects", "project_items", "notices",
         "audit_log", "publicity"]
for _name in VIEWS:
    import_module(f"bot.console.{_name}")
