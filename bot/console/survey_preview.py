"""A template's draft as residents will meet it: the chat messages and the H5 page (phone width)."""
from __future__ import annotations

from types import SimpleNamespace

from flask import abort, make_response, render_template

from bot import db
from bot.console.auth import roles_required
from bot.console.surveys import bp
from bot.runtime import render
from bot.web import SECURITY_HEADERS
from models.surveys import SurveyTemplate
from surveys import definition, paper, questions

LINK = "（网页填写链接）"
# The H5 preview is shown in a frame of the preview page, so it may be framed by this site only.
FRAMED_BY_SELF = {"X-Frame-Options": "SAMEORIGIN", "Content-Security-Policy": SECURITY_HEADERS[
    "Content-Security-Policy"].replace("frame-ancestors 'none'", "frame-ancestors 'self'")}


def _definition(template_id: int) -> dict:
    template = db.session().get(SurveyTemplate, template_id) or abort(404)
    return definition.normalize(template.draft)


def chat_messages(d: dict) -> list[dict]:
    """Each question as the chat asks it (the first with the survey's introduction), and when it is asked."""
    run, messages, notes = SimpleNamespace(title=d["title"]), [], []
    for row in paper.numbered(d):
        q = row["q"]
        if row["number"] is None:
            notes.append(q["title"])
            continue
        kind = questions.get(q["type"])
        text = render("wechat/survey_question.txt", run=run, d=d, q=q, notes=notes, rows=q.get("rows", []),
                           options=questions.options_of(q) if kind.has_options else [], hint=kind.hint_for(q),
                           error=None, intro=row["number"] == 1, resumed=False, changing=False, link=LINK,
                           number=row["number"], first=row["number"] == 1)
        messages.append({"text": text.strip(), "when": _asked_when(row["when"])})
        notes = []
    return messages


def _asked_when(words: str) -> str:
    if not words:
        return ""
    return words.removesuffix("时填写") + "时才问" if words.endswith("时填写") else "视前面的回答决定是否问"


@bp.get("/templates/<int:template_id>/preview")
@roles_required("admin")
def template_preview(template_id: int):
    d = _definition(template_id)
    return render_template("console/surveys/preview.html", template_id=template_id, d=d,
                           messages=chat_messages(d))


@bp.get("/templates/<int:template_id>/preview/h5")
@roles_required("admin")
def template_preview_h5(template_id: int):
    """The H5 page drawn from the draft; its form goes nowhere."""
    d = _definition(template_id)
    page = render_template("h5/survey.html", run=SimpleNamespace(id=0, title=d["title"]), d=d, token="",
                           values={}, errors={}, changing=False, preview=True)
    response = make_response(page)
    response.headers.update(FRAMED_BY_SELF)
    return response
