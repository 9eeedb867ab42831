"""Figures with charts: volume, on-time rate, satisfaction by category, department and community."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

from flask import render_template, request
from sqlmodel import select

from bot.complaints.services import current_env
from bot.console.auth import roles_required
from bot.console.complaints import WORKERS, bp, viewer_scope
from bot.console.complaints.queue import lookups
from handlers.complaints import queries, routing, stats
from models import Complaint, localtime

PERIODS = {"30": 30, "90": 90, "365": 365, "all": None}


@bp.get("/figures")
@roles_required(*WORKERS)
def figures():
    env = current_env()
    period = request.args.get("period", "90")
    days = PERIODS.get(period, 90)
    since = env.now - timedelta(days=days) if days else None
    names = lookups()
    labels = stats.label_maps(names["categories"], session=env.session)
    tables = {dim: stats.by(dim, viewer_scope(), since, labels[dim], session=env.session) for dim in stats.DIMENSIONS}
    return render_template("console/complaints/figures.html", tables=tables, period=period, periods=PERIODS,
                           daily=daily_volume(env, since or env.now - timedelta(days=365)),
                           gaps=routing.gaps(env.settings, viewer_scope().community_ids, session=env.session))


def daily_volume(env, since) -> list[tuple[str, int]]:
    """Complaints per local day of submission (drafts never submitted are not counted).

    Grouped here, not by the database's DATE(): that would be the UTC day."""
    query = queries.scoped(select(Complaint.submitted_at).where(Complaint.submitted_at >= since), viewer_scope())
    days = Counter(localtime.local_date(at).isoformat() for at in env.session.exec(query).all())
    return sorted(days.items())
