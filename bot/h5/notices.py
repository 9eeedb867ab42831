"""``/h5/notices?t=...``: the notices for a resident's building, opened from the 通知 reply's signed link."""
from __future__ import annotations


from flask import current_app, render_template, request

from bot import db
from bot.h5 import bp
from handlers.notices import links
from handlers.notices.chat import for_household
from models import Household
from models.households import active_binding
from bot.runtime import now

PAGE_LIMIT = 30


@bp.get("/notices")
def notices():
    secret = current_app.config["LINLI"]["app"]["secret_key"]
    resident_id = links.read_token(secret, request.args.get("t", ""), now_s=now().timestamp())
    if resident_id is None:
        return render_template("h5/message.html", message="链接无效或已过期，请在公众号里回复“通知”获取新的链接"), 403
    session = db.session()
    binding = active_binding(resident_id, session=session)
    household = binding and session.get(Household, binding.household_id)
    if household is None:
        return render_template("h5/message.html", message="请先在公众号里回复“绑定”绑定您家的门牌，再查看本楼的通知"), 403
    rows = for_household(household, limit=PAGE_LIMIT, session=session)
    return render_template("h5/notices.html", rows=rows)
