"""``/h5/articles/<id>``: a policy article's page (linked from chat when it has no outside link)."""
from __future__ import annotations

from flask import abort, render_template

from bot import db
from bot.h5 import bp
from models import PolicyArticle


@bp.get("/articles/<int:article_id>")
def article(article_id: int):
    row = db.session().get(PolicyArticle, article_id)
    if row is None or not row.active:
        abort(404)
    return render_template("h5/article.html", article=row)
