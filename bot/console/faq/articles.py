"""Policy articles (sent to residents as news replies): list and editor, admins only."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlmodel import select

from bot import db
from bot.console.auth import actor, audit, roles_required
from bot.console.faq import EDITORS, bp
from bot.urls import parse_int
from handlers.faq import service
from models import PolicyArticle

FIELDS = ("title", "summary", "cover_url", "body", "link")


@bp.get("/articles")
@roles_required(*EDITORS)
def articles():
    rows = db.session().exec(select(PolicyArticle).order_by(PolicyArticle.sort_key, PolicyArticle.id)).all()
    return render_template("console/faq/articles.html", rows=rows)


@bp.get("/articles/new")
@bp.get("/articles/<int:article_id>")
@roles_required(*EDITORS)
def article_form(article_id: int | None = None):
    article = db.session().get(PolicyArticle, article_id) if article_id else PolicyArticle(title="")
    if article is None:
        abort(404)
    return render_template("console/faq/article.html", article=article)


@bp.post("/articles/new")
@bp.post("/articles/<int:article_id>")
@roles_required(*EDITORS)
def article_save(article_id: int | None = None):
    sess = db.session()
    values = {name: request.form.get(name, "") for name in FIELDS}
    values["active"] = request.form.get("active") == "1"
    values["sort_key"] = parse_int(request.form.get("sort_key"), signed=True) or 0
    if values["link"] and not values["link"].startswith(("https://", "http://")):
        flash("链接须以 http:// 或 https:// 开头。", "error")
        return render_template("console/faq/article.html", article=PolicyArticle(id=article_id, **values)), 400
    try:
        article = service.save_article(values, actor=actor(), session=sess, article_id=article_id)
    except service.FaqError as exc:
        flash(str(exc), "error")
        return render_template("console/faq/article.html", article=PolicyArticle(id=article_id, **values)), 400
    audit("faq.article.update" if article_id else "faq.article.create", f"article:{article.id}",
          after={"title": article.title, "active": article.active})
    sess.commit()
    flash("文章已保存。", "info")
    return redirect(url_for("console_faq.article_form", article_id=article.id))
