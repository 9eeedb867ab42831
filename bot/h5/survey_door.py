"""The door of a paper ballot's QR code: WeChat says who scanned it, then the usual H5 page.

The QR code names a household and a run (``surveys.links.make_household_token``),
never a voter.  Scanned in WeChat, the page asks WeChat for the scanner's openid
(OAuth2, ``snsapi_base``: silent, no consent screen) and lets them in only when
they may vote for that very household, as in chat; then it hands them the same
signed link the chat sends.
"""
from __future__ import annotations

from flask import current_app, redirect, request, url_for
from sqlmodel import select
from wechatpy import WeChatOAuth

from bot import db
from bot.h5 import bp
from bot.h5.surveys import _message
from bot.runtime import now
from bot.wechat.api import WeChatApiError, get_api
from models import Resident
from surveys import ballots, links, runs
from surveys.errors import NotAllowed, SurveyError

NOT_BOUND = "请先在公众号里发送“绑定”，绑定您家的房屋后再扫码。"
OTHER_HOUSEHOLD = "这张答卷属于另一户。请扫描您家答卷上的二维码，或在公众号里回复“调查”。"


@bp.get("/surveys/<int:run_id>/door")
def survey_door(run_id: int):
    """Redirect to WeChat for the scanner's openid, then to the survey page as that resident."""
    settings = current_app.config["LINLI"]
    secret, token = settings["app"]["secret_key"], request.args.get("h", "")
    try:
        household_id, token_run = links.read_household_token(secret, token)
        if token_run != run_id:
            raise NotAllowed("二维码与调查不符，请在公众号里回复“调查”参与")
        runs.get(run_id, session=db.session())
    except SurveyError as exc:
        return _message(str(exc))
    code = request.args.get("code", "")
    if not code:
        back = links.door_url(settings["app"]["public_base_url"], run_id, token)
        return redirect(WeChatOAuth(settings["wechat"]["app_id"], "", back, scope="snsapi_base",
                                    state="door").authorize_url)
    try:
        resident_id = _scanner(code, household_id)
    except SurveyError as exc:
        return _message(str(exc))
    link = links.make_token(secret, resident_id=resident_id, run_id=run_id, now_s=now().timestamp())
    return redirect(url_for("h5.survey_form", run_id=run_id, t=link))


def _scanner(code: str, household_id: int) -> int:
    """The resident who scanned, when they may vote for ``household_id``; NotAllowed otherwise."""
    try:
        openid = get_api().oauth_openid(code)
    except WeChatApiError:
        raise NotAllowed("微信授权未成功，请重新扫码") from None
    resident = db.session().exec(select(Resident).where(Resident.openid == openid)).first()
    if resident is None:
        raise NotAllowed(NOT_BOUND)
    household = ballots.voter_household(resident.id, session=db.session())  # the chat's rule and wording
    if household.id != household_id:
        raise NotAllowed(OTHER_HOUSEHOLD)
    return resident.id
