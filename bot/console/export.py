"""Excel export of households, masked (names 张*, phones 138****1234)."""
from __future__ import annotations

import io

from flask import send_file
from openpyxl import Workbook

from bot import db
from bot.console import bp
from bot.console.auth import audit, roles_required
from bot.console.households import audit_phone_search, current_filter
from bot.console.views import STATUS_LABELS, unit_room
from bot.runtime import now
from handlers.households import queries
from models import localtime
from models.privacy import mask_name, mask_phone
from models.sheets import append_row

HEADER = ["小区", "楼栋", "单元房号", "户主", "联系电话", "状态", "面积"]
MAX_ROWS = 300_000


@bp.get("/households.xlsx")
@roles_required("admin", "worker")
def households_export():
    sess, f = db.session(), current_filter()
    names = {c.id: c.name for c in queries.communities_visible(f.community_ids, session=sess)}
    book = Workbook(write_only=True)
    sheet = book.create_sheet("住户")
    append_row(sheet, HEADER)
    cursor, written = None, 0
    while written < MAX_ROWS:
        page = queries.household_page(f, after=cursor, size=5000, with_total=False, session=sess)
        for h, building in page.rows:
            append_row(sheet, [names.get(h.community_id, ""), building, unit_room(h.unit, h.room),
                               mask_name(h.owner_name), mask_phone(h.phone), STATUS_LABELS.get(h.status, h.status),
                               h.floor_area])
        written += len(page.rows)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    audit_phone_search(f)
    audit("households.export", "households", after={"rows": written, "community": f.community_id,
                                                    "masked": True}, community_id=f.community_id)
    db.session().commit()
    stamp = localtime.stamp(now())
    return send_file(buffer, as_attachment=True, download_name=f"households-{stamp}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
