"""The H5 publicity page: a published result, per building, and the objection form (signed chat link)."""
from __future__ import annotations

from flask import current_app, render_template, request

from bot import db
from bot.h5 import bp
from bot.runtime import now
from models.localtime import show
from models.publicity import Publicity
from surveys import objections, publicity, publicity_links
from surveys.errors import NotAllowed, SurveyError


def _identify(publicity_id: int, token: str) -> tuple[int, Publicity]:
    secret = current_app.config["LINLI"]["app"]["secret_key"]
    resident_id, token_publicity = publicity_links.read_token(secret, token, now=now())
    p = db.session().get(Publicity, publicity_id)
    if token_publicity != publicity_id or p is None:
        raise NotAllowed("链接与公示不符，请在公众号里回复“公示”获取新的链接")
    return resident_id, p


def _page(p: Publicity, resident_id: int, token: str, *, error: str = "", text: str = "", done=None,
          status: int = 200):
    when = now()
    try:
        objections.household_for(p.id, resident_id, session=db.session(), now=when)
        may_object = ""
    except NotAllowed as exc:
        may_object = str(exc)
    return render_template("h5/publicity.html", p=p, s=p.figures["summary"], buildings=p.figures["buildings"],
                           ends=show(p.objection_ends_at), open=publicity.is_open(p, when), token=token,
                           refused=may_object, error=error, text=text, done=done), status


@bp.get("/publicity/<int:publicity_id>")
def publicity_page(publicity_id: int):
    token = request.args.get("t", "")
    try:
        resident_id, p = _identify(publicity_id, token)
    except SurveyError as exc:
        return render_template("h5/message.html", message=str(exc)), 403
    return _page(p, resident_id, token)


@bp.post("/publicity/<int:publicity_id>")
def publicity_object(publicity_id: int):
    token, text = request.form.get("t", ""), request.form.get("text", "")
    session = db.session()
    try:
        resident_id, p = _identify(publicity_id, token)
    except SurveyError as exc:
        return render_template("h5/message.html", message=str(exc)), 403
    try:
        row = objections.raise_objection(p.id, resident_id, text, session=session, now=now(), channel="h5")
    except SurveyError as exc:
        session.rollback()
        return _page(p, resident_id, token, error=str(exc), text=text[:objections.MAX_TEXT], status=400)
    session.commit()
    return _page(p, resident_id, token, done=row)
