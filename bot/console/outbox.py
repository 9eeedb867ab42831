"""``/console/outbox`` (admins): outbox figures and dead letters, each retryable.

Shows who it was for (masked openid), the kind, attempts and WeChat's last
error, never the message's content.  A retry is audited and committed once.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from bot import db
from bot.console import nav
from bot.console.auth import current_staff, roles_required
from bot.outbound import service
from bot.runtime import now
from models.audit import record

bp = Blueprint("console_outbox", __name__, url_prefix="/console/outbox")
nav.add("console_outbox.dead_letters", "消息投递", ("admin",))


# What each outbox kind is, in the words of the admin reading the page (codes stay in the table).
KIND_LABELS = {"reply": "聊天回复", "binding": "绑定通知", "complaint": "诉求进度", "complaint_staff": "诉求督办",
               "survey.reminder": "调查提醒", "survey.ballot_replaced": "答卷更新提醒", "project": "改造进度",
               "notice": "通知公告", "publicity": "结果公示", "faq_followup": "问题回复"}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, "其他消息")


def masked_openid(openid: str) -> str:
    return openid[:4] + "****" + openid[-4:] if len(openid) > 8 else "****"


@bp.get("/")
@roles_required("admin")
def dead_letters():
    session = db.session()
    rows = service.list_dead(session=session)
    return render_template("console/outbox.html", counts=service.counts(session=session), rows=rows, mask=masked_openid,
                           kind_label=kind_label)


@bp.post("/<int:message_id>/retry")
@roles_required("admin")
def retry(message_id: int):
    session = db.session()
    try:
        row = service.retry(message_id, now=now(), session=session)
    except LookupError:
        abort(404)
    record(actor=current_staff().username, action="outbox.retry", target=f"outbound_message:{row.id}",
           after={"status": "pending"}, at=now(), session=session)
    session.commit()
    flash(f"消息 #{row.id} 已重新排队，将在几秒内投递。")
    return redirect(url_for("console_outbox.dead_letters"))
