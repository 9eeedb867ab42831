"""FAQ list, search, "try a question", and the entry editor."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func
from sqlmodel import select

from bot import db
from bot.console.auth import actor, audit, current_staff, roles_required
from bot.console.faq import EDITORS, READERS, bp, faq_cache, rebuild_and_follow_up
from bot.console.faq.unanswered import scoped
from bot.urls import parse_int
from handlers.faq import service
from handlers.faq.decide import understand
from models import FaqEntry, PolicyArticle, UnansweredQuestion

ENTRY_FORM_FIELDS = ("question", "alternatives", "answer", "category", "tags", "source")


def entry_snapshot(entry: FaqEntry) -> dict:
    return {"question": entry.question, "alternatives": list(entry.alternatives), "answer": entry.answer,
            "category": entry.category, "tags": list(entry.tags), "source": entry.source,
            "article_id": entry.article_id, "active": entry.active}


@bp.get("/")
@roles_required(*READERS)
def entries():
    sess, q = db.session(), request.args.get("q", "").strip()
    category = request.args.get("category", "")
    query = select(FaqEntry).order_by(FaqEntry.category, FaqEntry.id)
    if category:
        query = query.where(FaqEntry.category == category)
    # Filtered here, not in SQL: alternatives are JSON, and a FAQ is a few thousand rows at most.
    rows = [e for e in sess.exec(query).all() if not q or matches(e, q)]
    categories = sorted({c for c in sess.exec(select(FaqEntry.category)).all() if c})
    open_count = sess.exec(scoped(select(func.count(UnansweredQuestion.id))
                                  .where(UnansweredQuestion.status == "open"))).one()
    return render_template("console/faq/entries.html", rows=rows, q=q, category=category, categories=categories,
                           open_count=open_count, trial=try_question(request.args.get("try", "")))


def matches(entry: FaqEntry, q: str) -> bool:
    return any(q in text for text in (entry.question, entry.answer, entry.category, *entry.alternatives))


def try_question(text: str) -> dict | None:
    """What the chat would do with ``text``: the decision and the top candidates with scores."""
    text = text.strip()
    if not text:
        return None
    index = faq_cache().get(session=db.session())
    return {"text": text, "decision": understand(index, text), "candidates": index.search(text, limit=5)}


@bp.get("/new")
@bp.get("/<int:entry_id>")
@roles_required(*READERS)
def entry_form(entry_id: int | None = None):
    sess = db.session()
    entry = sess.get(FaqEntry, entry_id) if entry_id else FaqEntry(question=request.args.get("question", ""),
                                                                  answer="")
    if entry is None:
        abort(404)
    articles = sess.exec(select(PolicyArticle).order_by(PolicyArticle.sort_key, PolicyArticle.id)).all()
    editable = current_staff().role in EDITORS
    return render_template("console/faq/entry.html", entry=entry, articles=articles, editable=editable)


@bp.post("/new")
@bp.post("/<int:entry_id>")
@roles_required(*EDITORS)
def entry_save(entry_id: int | None = None):
    sess = db.session()
    before = entry_snapshot(sess.get(FaqEntry, entry_id)) if entry_id and sess.get(FaqEntry, entry_id) else None
    values = {name: request.form.get(name, "") for name in ENTRY_FORM_FIELDS}
    values["article_id"] = parse_int(request.form.get("article_id"))
    values["active"] = request.form.get("active") == "1"
    try:
        entry = service.save_entry(values, actor=actor(), session=sess, entry_id=entry_id)
    except service.FaqError as exc:
        flash(str(exc), "error")
        return render_template("console/faq/entry.html", entry=FaqEntry(id=entry_id, **_form_entry(values)),
                               articles=sess.exec(select(PolicyArticle)).all(), editable=True), 400
    audit("faq.update" if entry_id else "faq.create", f"faq:{entry.id}", before=before, after=entry_snapshot(entry))
    answered = rebuild_and_follow_up({entry.id} if entry.active else set())
    sess.commit()
    flash("已保存，几秒内对所有居民生效。", "info")
    if answered:
        flash(f"这条问答现在能回答 {len(answered)} 个未答问题，答案已发给提问的居民。", "info")
    return redirect(url_for("console_faq.entry_form", entry_id=entry.id))


def _form_entry(values: dict) -> dict:
    return {"question": values["question"], "answer": values["answer"], "category": values["category"],
            "source": values["source"], "alternatives": service.split_alternatives(values["alternatives"]),
            "tags": service.split_alternatives(values["tags"]), "article_id": values["article_id"],
            "active": values["active"]}


@bp.post("/<int:entry_id>/active")
@roles_required(*EDITORS)
def entry_toggle(entry_id: int):
    sess = db.session()
    entry = sess.get(FaqEntry, entry_id)
    if entry is None:
        abort(404)
    before = {"active": entry.active}
    service.set_active(entry_id, not entry.active, actor=actor(), session=sess)
    audit("faq.update", f"faq:{entry_id}", before=before, after={"active": entry.active})
    rebuild_and_follow_up({entry_id} if entry.active else set())
    sess.commit()
    return redirect(request.referrer or url_for("console_faq.entries"))
