"""The unanswered-questions queue: one click makes a question a new entry or an alternative."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlmodel import select

from bot import db
from bot.console.auth import actor, audit, current_staff, roles_required
from bot.console.faq import EDITORS, READERS, bp, refresh_index
from bot.urls import parse_int
from handlers.faq import service
from models import FaqEntry, UnansweredQuestion

STATUS_LABELS = {"open": "待处理", "new_entry": "已新建问答", "alternative": "已加为相似问法",
                 "outside": "不属于问答范围", "dismissed": "已忽略"}


@bp.app_template_filter("unanswered_status")
def unanswered_status(status: str) -> str:
    return STATUS_LABELS.get(status, status)


@bp.get("/unanswered")
@roles_required(*READERS)
def unanswered():
    sess = db.session()
    status = request.args.get("status", "open")
    query = select(UnansweredQuestion).order_by(UnansweredQuestion.asked_at.desc()).limit(200)
    if status in STATUS_LABELS:
        query = query.where(UnansweredQuestion.status == status)
    rows = sess.exec(query).all()
    entries = sess.exec(select(FaqEntry).where(FaqEntry.active == True).order_by(FaqEntry.id)).all()  # noqa: E712
    return render_template("console/faq/unanswered.html", rows=rows, entries=entries, status=status,
                           statuses=STATUS_LABELS, editable=current_staff().role in EDITORS)


def _resolved(question_id: int, action: str, change) -> object:
    """Run ``change`` (a service call), audit, commit; flash the error instead on failure."""
    sess = db.session()
    if sess.get(UnansweredQuestion, question_id) is None:
        abort(404)
    try:
        row = change(sess)
    except service.FaqError as exc:
        flash(str(exc), "error")
        return redirect(url_for("console_faq.unanswered"))
    audit(action, f"unanswered:{question_id}", after={"status": row.status, "entry_id": row.entry_id})
    sess.commit()
    refresh_index()
    return row


@bp.post("/unanswered/<int:question_id>/alternative")
@roles_required(*EDITORS)
def make_alternative(question_id: int):
    entry_id = parse_int(request.form.get("entry_id"))
    if entry_id is None:
        flash("请选择要归入的问答。", "error")
        return redirect(url_for("console_faq.unanswered"))
    text = request.form.get("text", "").strip() or None
    row = _resolved(question_id, "faq.unanswered.alternative",
                    lambda sess: service.resolve_as_alternative(question_id, entry_id, actor=actor(),
                                                                session=sess, text=text))
    if isinstance(row, UnansweredQuestion):
        flash(f"已加为问答 #{row.entry_id} 的相似问法。", "info")
    return redirect(url_for("console_faq.unanswered"))


@bp.post("/unanswered/<int:question_id>/new")
@roles_required(*EDITORS)
def make_entry(question_id: int):
    values = {"question": request.form.get("question", "").strip(), "answer": request.form.get("answer", ""),
              "category": request.form.get("category", "")}
    values = {k: v for k, v in values.items() if v}
    row = _resolved(question_id, "faq.unanswered.new_entry",
                    lambda sess: service.resolve_as_new_entry(question_id, values, actor=actor(), session=sess))
    if isinstance(row, UnansweredQuestion):
        flash(f"已新建问答 #{row.entry_id}。", "info")
        return redirect(url_for("console_faq.entry_form", entry_id=row.entry_id))
    return row


@bp.post("/unanswered/<int:question_id>/outside")
@roles_required(*EDITORS)
def mark_outside(question_id: int):
    row = _resolved(question_id, "faq.unanswered.outside",
                    lambda sess: service.mark_outside(question_id, actor=actor(), session=sess))
    if isinstance(row, UnansweredQuestion):
        flash("已记为不属于问答范围：以后类似的问题会直接回复“没有找到答案”并给出社区电话。", "info")
    return redirect(url_for("console_faq.unanswered"))


@bp.post("/unanswered/<int:question_id>/dismiss")
@roles_required(*EDITORS)
def dismiss(question_id: int):
    row = _resolved(question_id, "faq.unanswered.dismiss",
                    lambda sess: service.dismiss(question_id, actor=actor(), session=sess))
    return redirect(url_for("console_faq.unanswered")) if isinstance(row, UnansweredQuestion) else row
