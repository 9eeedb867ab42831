"""Excel export of the filtered queue: dates as local date cells, the reporter masked.

Names and phones are masked for everyone by default (a file travels further than
a page); ``?contacts=full`` gives them in full to those who may see contacts
(``may_see_contacts``), and that export is audited as such.
"""
from __future__ import annotations

import io

from flask import Response, request
from openpyxl import Workbook

from bot.complaints.services import current_env
from bot.console.auth import audit, roles_required
from bot.console.complaints import STAFF_ROLES, bp, may_see_contacts, viewer_scope
from bot.console.complaints.queue import filters_from, lookups
from handlers.complaints import queries
from handlers.complaints.labels import CLOSURE_LABELS, RATING_LABELS, STATE_LABELS
from handlers.complaints.reporters import Reporter, reporters
from models.localtime import excel, stamp
from models.privacy import mask_contacts
from models.sheets import append_row

HEADERS = ["编号", "状态", "类别", "小区", "承办部门", "描述", "位置", "纬度", "经度", "提交时间", "办理时限",
           "办结时间", "按时办结", "办结原因", "评价", "评分", "反映人", "电话", "房屋"]


@bp.get("/export.xlsx")
@roles_required(*STAFF_ROLES)
def export():
    env = current_env()
    rows = queries.all_matching(viewer_scope(), filters_from(request.args), env.now, session=env.session)
    names = lookups()
    full = request.args.get("contacts") == "full" and may_see_contacts()
    people = reporters(rows, session=env.session)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("随手拍")
    append_row(sheet, HEADERS)
    for c in rows:
        person = people.get(c.id) or Reporter()
        append_row(sheet, _row(c, person if full else person.masked(), names))
    out = io.BytesIO()
    book.save(out)
    audit("complaint.export", "complaints", after={"rows": len(rows), "masked": not full})
    env.session.commit()
    return Response(out.getvalue(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename=complaints-{stamp(env.now)}.xlsx"})


def _row(c, person: Reporter, names: dict) -> list:
    """One complaint's cells: the resident's text masked; append_row keeps it text."""
    return [c.ticket, STATE_LABELS.get(c.state, c.state), names["categories"].get(c.category, c.category),
            names["communities"].get(c.community_id, ""), names["departments"].get(c.department_id, ""),
            mask_contacts(c.description), mask_contacts(c.location_label), c.latitude, c.longitude,
            excel(c.submitted_at), excel(c.due_at), excel(c.resolved_at),
            {True: "是", False: "否"}.get(c.resolved_on_time, ""),
            CLOSURE_LABELS.get(c.closure_reason, ""), RATING_LABELS.get(c.rating_result, ""),
            c.rating_score, person.name, person.phone, person.household]
