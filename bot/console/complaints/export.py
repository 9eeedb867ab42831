"""Excel export of the filtered queue (names, phones and contacts in the text masked)."""
from __future__ import annotations

import io

from flask import Response, request
from openpyxl import Workbook
from sqlmodel import select

from bot.complaints.services import current_env
from bot.console.auth import audit, roles_required
from bot.console.complaints import STAFF_ROLES, bp, viewer_scope
from bot.console.complaints.queue import filters_from, lookups
from handlers.complaints import queries
from handlers.complaints.labels import CLOSURE_LABELS, RATING_LABELS, STATE_LABELS
from handlers.complaints.notices import local_time
from models import Resident
from models.privacy import mask_contacts, mask_name, mask_phone
from models.sheets import append_row

HEADERS = ["编号", "状态", "类别", "小区", "承办部门", "描述", "位置", "纬度", "经度", "提交时间", "办理时限",
           "办结时间", "按时办结", "办结原因", "评价", "评分", "反映人", "电话"]


@bp.get("/export.xlsx")
@roles_required(*STAFF_ROLES)
def export():
    env = current_env()
    rows = queries.all_matching(env.session, viewer_scope(), filters_from(request.args), env.now)
    names = lookups()
    people = {r.id: r for r in env.session.exec(select(Resident).where(
        Resident.id.in_({c.resident_id for c in rows if c.resident_id} or {-1}))).all()}
    book = Workbook(write_only=True)
    sheet = book.create_sheet("随手拍")
    append_row(sheet, HEADERS)
    for c in rows:
        append_row(sheet, _row(c, people.get(c.resident_id), names))
    out = io.BytesIO()
    book.save(out)
    audit("complaint.export", "complaints", after={"rows": len(rows)})
    env.session.commit()
    return Response(out.getvalue(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=complaints.xlsx"})


def _row(c, person: Resident | None, names: dict) -> list:
    """One complaint's cells: the resident's text masked; append_row keeps it text."""
    return [c.ticket, STATE_LABELS.get(c.state, c.state), names["categories"].get(c.category, c.category),
            names["communities"].get(c.community_id, ""), names["departments"].get(c.department_id, ""),
            mask_contacts(c.description), mask_contacts(c.location_label), c.latitude, c.longitude,
            local_time(c.submitted_at), local_time(c.due_at), local_time(c.resolved_at),
            {True: "是", False: "否"}.get(c.resolved_on_time, ""),
            CLOSURE_LABELS.get(c.closure_reason, ""), RATING_LABELS.get(c.rating_result, ""),
            c.rating_score, mask_name(person.name) if person else "", mask_phone(person.phone) if person else ""]
