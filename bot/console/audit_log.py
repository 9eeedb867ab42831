"""The audit log (admins): who changed what, before and after, when."""
from __future__ import annotations

from flask import current_app, render_template, request
from sqlmodel import select

from bot import db
from bot.console import audit_words, bp
from bot.console.auth import roles_required
from bot.console.views import int_arg
from handlers.complaints.categories import all_categories
from models import AuditLog

PAGE = 100


@bp.get("/audit")
@roles_required("admin")
def audit_log():
    query = select(AuditLog).order_by(AuditLog.id.desc())
    before = int_arg("before")
    if before:
        query = query.where(AuditLog.id < before)
    action = request.args.get("action", "").strip()
    if action:
        query = query.where(AuditLog.action.startswith(action))
    rows = db.session().exec(query.limit(PAGE + 1)).all()
    more = len(rows) > PAGE
    staff = audit_words.staff_directory({r.actor for r in rows}, session=db.session())
    words = {c.code: c.name for c in all_categories(current_app.config["LINLI"])}
    return render_template("console/audit.html", rows=[readable(r, staff, words) for r in rows[:PAGE]],
                           action=action, actions=audit_words.FILTERS,
                           next_before=rows[PAGE - 1].id if more else None)


def readable(row: AuditLog, staff: dict[str, tuple[str, str]], words: dict[str, str]) -> dict:
    """One row as an admin reads it (the codes stay in the table)."""
    return {"id": row.id, "at": row.at, "actor": audit_words.actor_label(row.actor, staff),
            "action": audit_words.action_label(row.action), "target": audit_words.target_label(row.target),
            "change": audit_words.change_summary(row.before, row.after, words)}
