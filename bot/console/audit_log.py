"""The audit log (admins): who changed what, before and after, when."""
from __future__ import annotations

from flask import render_template, request
from sqlmodel import select

from bot import db
from bot.console import bp
from bot.console.auth import roles_required
from bot.console.views import int_arg
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
    return render_template("console/audit.html", rows=rows[:PAGE], action=action,
                           next_before=rows[PAGE - 1].id if more else None)
