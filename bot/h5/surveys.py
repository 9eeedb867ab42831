"""The H5 survey page: the whole survey in one form, opened from a signed chat link."""
from __future__ import annotations

from flask import current_app, render_template, request

from bot import db, runtime
from bot.h5 import bp
from bot.h5.forms import FormProblem, raw_answers
from bot.h5.uploads import PendingPhotos, limit_body
from bot.runtime import now, render
from models import Household
from surveys import ballots, cost_sharing, links, runs, stats
from surveys.answers import AnswersInvalid, summary_lines
from surveys.errors import NotAllowed, SurveyError


def _message(text: str, status: int = 403):
    return render_template("h5/message.html", message=text), status


def _identify(run_id: int, token: str):
    """(resident id, run, household) from the signed link, or NotAllowed."""
    secret = current_app.config["LINLI"]["app"]["secret_key"]
    resident_id, token_run = links.read_token(secret, token, now_s=now().timestamp())
    if token_run != run_id:
        raise NotAllowed("链接与调查不符，请在公众号里回复“调查”获取新的链接")
    run = runs.get(run_id, session=db.session())
    household = ballots.run_voter_household(run, resident_id, session=db.session())
    return resident_id, run, household


def _page(run, household: Household, token: str, values: dict, errors: dict, status: int = 200):
    d = runs.version_of(run, session=db.session()).definition
    share = cost_sharing.share_of(run, household.id, session=db.session())
    return render_template("h5/survey.html", run=run, d=d, token=token, values=values, errors=errors, share=share,
                           changing=ballots.find(run.id, household.id, session=db.session()) is not None), status


@bp.get("/surveys/<int:run_id>")
def survey_form(run_id: int):
    token = request.args.get("t", "")
    try:
        _, run, household = _identify(run_id, token)
    except SurveyError as exc:
        return _message(str(exc))
    existing = ballots.find(run.id, household.id, session=db.session())
    if not runs.is_open(run, now()):
        return _closed(run)
    if existing is not None and not household.answers_changeable:
        return _done(run, existing, already=True)
    return _page(run, household, token, existing.answers if existing else {}, {})


@bp.post("/surveys/<int:run_id>")
def survey_submit(run_id: int):
    token = request.form.get("t", "")
    session = db.session()
    try:
        resident_id, run, household = _identify(run_id, token)
        d = runs.version_of(run, session=session).definition
        photos = PendingPhotos(run_id, household.id)
        raw = raw_answers(d, request.form, request.files, photos.add)
        ballot = ballots.cast_by_resident(run_id, resident_id, raw, channel="h5", session=session, now=now(),
                                          render=render)
        photos.write(runtime.services().storage)  # only now: nothing left by a refusal
    except FormProblem as exc:
        session.rollback()
        return _page(run, household, token, {}, {exc.code or "_form": str(exc)}, 400)
    except AnswersInvalid as exc:
        session.rollback()
        return _page(run, household, token, raw, exc.errors, 400)
    except SurveyError as exc:
        session.rollback()
        return _message(str(exc))
    session.commit()
    return _done(run, ballot)


limit_body(bp, ("h5.survey_submit",))


@bp.errorhandler(413)
def too_large(_error):
    return _message("上传的照片太大了，请少选几张或换一张照片再提交。", 413)


def _done(run, ballot, already: bool = False):
    d = runs.version_of(run, session=db.session()).definition
    figures = stats.summary(run.id, session=db.session()) if runs.results_visible(run, now()) else None
    return render_template("h5/survey_done.html", run=run, ballot=ballot, already=already, figures=figures,
                           lines=summary_lines(d, ballot.answers))


def _closed(run):
    figures = stats.summary(run.id, session=db.session()) if runs.results_visible(run, now()) else None
    return render_template("h5/survey_done.html", run=run, ballot=None, closed=True, figures=figures, lines=[])
