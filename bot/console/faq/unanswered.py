"""The unanswered-questions queue: answer the residents who asked, or teach the FAQ.

Workers see and answer the questions of their communities (a written answer
goes to every resident who asked); admins see all and may also make a
question a new entry, an alternative of an entry, outside the FAQ, or dismiss
it.  Residents' text is shown with phone and ID numbers masked.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlmodel import select

from bot import db
from bot.console.auth import actor, audit, current_staff, require_community, roles_required, visible_community_ids
from bot.console.faq import EDITORS, READERS, bp, faq_cache, rebuild_and_follow_up
from bot.runtime import now, render
from bot.urls import parse_int
from handlers.faq import followup, service
from models import FaqEntry, UnansweredQuestion
from models.privacy import mask_contacts

STATUS_LABELS = {"open": "待处理", "answered": "已答复居民", "new_entry": "已新建问答", "alternative": "已加为相似问法",
                 "matched": "问答已能回答", "outside": "不属于问答范围", "dismissed": "已忽略"}
REACH_LABELS = {"answer": "直接回答", "choices": "列出选项", "none": "仍然答不上", "smalltalk": "当作闲聊"}


@bp.app_template_filter("unanswered_status")
def unanswered_status(status: str) -> str:
    return STATUS_LABELS.get(status, status)


@bp.app_template_filter("masked_text")
def masked_text(text: str) -> str:
    """A resident's words with phone and ID card numbers masked."""
    return mask_contacts(text)


def scoped(query):
    """Only the viewer's communities (admins: all; a question of no community is admins' only)."""
    visible = visible_community_ids()
    if visible is None:
        return query
    return query.where(UnansweredQuestion.community_id.in_(visible or {-1}))


@bp.get("/unanswered")
@roles_required(*READERS)
def unanswered():
    sess = db.session()
    status = request.args.get("status", "open")
    query = scoped(select(UnansweredQuestion)).order_by(UnansweredQuestion.asked_at.desc()).limit(200)
    if status in STATUS_LABELS:
        query = query.where(UnansweredQuestion.status == status)
    rows = sess.exec(query).all()
    entries = sess.exec(select(FaqEntry).where(FaqEntry.active == True).order_by(FaqEntry.id)).all()  # noqa: E712
    return render_template("console/faq/unanswered.html", rows=rows, entries=entries, status=status,
                           statuses=STATUS_LABELS, editable=current_staff().role in EDITORS,
                           askers=followup.asker_counts([r.id for r in rows], session=sess))


def _question(question_id: int) -> UnansweredQuestion:
    """The row, 404 when it does not exist or belongs to a community the viewer does not serve."""
    row = db.session().get(UnansweredQuestion, question_id)
    if row is None:
        abort(404)
    require_community(row.community_id)
    return row


def _resolved(question_id: int, action: str, change, writes_entry: bool = False) -> object:
    """Run ``change`` (a service call), audit, rebuild the index (with the entry it wrote:
    answer the other open questions it now answers), commit; flash the error instead on failure."""
    sess = db.session()
    row = _question(question_id)
    try:
        row = change(sess)
    except service.FaqError as exc:
        flash(str(exc), "error")
        return redirect(url_for("console_faq.unanswered"))
    audit(action, f"unanswered:{question_id}", after={"status": row.status, "entry_id": row.entry_id},
          community_id=row.community_id)
    others = []
    if writes_entry or row.status == "outside":  # what the matcher sees changed (a written answer: nothing)
        others = rebuild_and_follow_up({row.entry_id} if writes_entry and row.entry_id else set())
    sess.commit()
    if others:
        flash(f"另有 {len(others)} 个相似的未答问题也能回答了，答案已发给提问的居民。", "info")
    return row


@bp.post("/unanswered/<int:question_id>/answer")
@roles_required(*READERS)
def answer(question_id: int):
    """A worker's own answer, sent to every resident who asked."""
    text = request.form.get("answer", "")
    row = _resolved(question_id, "faq.unanswered.answer",
                    lambda sess: service.resolve_with_answer(question_id, text, actor=actor(), session=sess,
                                                             render=render, now=now()))
    if isinstance(row, UnansweredQuestion):
        flash("已答复，答案会发给问过这个问题的居民。", "info")
    return redirect(url_for("console_faq.unanswered"))


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
                                                                session=sess, text=text, render=render,
                                                                now=now()),
                    writes_entry=True)
    if isinstance(row, UnansweredQuestion):
        flash(f"已加为问答 #{row.entry_id} 的相似问法。{reach(row.text, row.entry_id)}", "info")
    return redirect(url_for("console_faq.unanswered"))


def reach(text: str, meant: int) -> str:
    """Where the question goes now (this worker's index was rebuilt with the edit)."""
    kind, best = followup.decider(faq_cache().index)(text)
    if kind == "answer" and best == meant:
        return "现在居民这样问，会直接得到这一条的答案。"
    if kind == "answer":
        return f"注意：现在这样问仍会直接得到问答 #{best} 的答案，请检查两条是否太像。"
    return f"现在这样问会{REACH_LABELS.get(kind, kind)}，还不会直接得到这一条：可以再补充一两种问法。"


@bp.post("/unanswered/<int:question_id>/new")
@roles_required(*EDITORS)
def make_entry(question_id: int):
    values = {"question": request.form.get("question", "").strip(), "answer": request.form.get("answer", ""),
              "category": request.form.get("category", "")}
    values = {k: v for k, v in values.items() if v}
    row = _resolved(question_id, "faq.unanswered.new_entry",
                    lambda sess: service.resolve_as_new_entry(question_id, values, actor=actor(), session=sess,
                                                              render=render, now=now()), writes_entry=True)
    if isinstance(row, UnansweredQuestion):
        flash(f"已新建问答 #{row.entry_id}，答案已发给问过的居民。", "info")
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
