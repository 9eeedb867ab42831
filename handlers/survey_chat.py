"""Answering a survey in chat: one question at a time, numbered options.

Keywords 调查/问卷/投票 and the SURVEY menu start (or resume) it.  The progress
lives in the ``survey`` conversation; "退出" parks it (flow ``survey_paused``,
kept for a week) so that the next 调查 resumes where the resident left off.
"""
from __future__ import annotations

from datetime import timedelta

from handlers import conversation, registry, replies
from handlers.context import Context
from handlers.inbound import ImageMessage, Inbound
from handlers.survey_steps import Step, prompt, take_answer
from models import Household
from models.households import active_binding
from models.localtime import show
from models.surveys import SurveyRun
from surveys import ballots, cost_sharing, links, publicity, runs, stats
from surveys.answers import next_question
from surveys.errors import NotAllowed, SurveyError

FLOW, PAUSED = "survey", "survey_paused"
PAUSE_TTL = timedelta(days=7)
QUIT, BACK = ("退出", "取消", "结束"), ("上一题", "上一步", "返回")


@registry.keyword("调查", "问卷", "投票", "参与调查", "填问卷")
@registry.click("SURVEY")
def start(inbound: Inbound, ctx: Context) -> replies.Reply:
    try:
        household = ballots.voter_household(ctx.resident.id, session=ctx.session)
    except NotAllowed as exc:
        return ctx.say("wechat/survey_not_allowed.txt", reason=str(exc))
    open_runs = runs.open_runs(household.community_id, session=ctx.session, now=ctx.now)
    if not open_runs:
        return ctx.say("wechat/survey_none.txt")
    parked = conversation.current(ctx)
    if parked is not None and parked.flow in (FLOW, PAUSED) and parked.state.get("run") in {r.id for r in open_runs}:
        return resume(ctx, parked.state)
    if len(open_runs) == 1:
        return begin(ctx, open_runs[0], household.id)
    conversation.start(ctx, FLOW, {"stage": "choose", "runs": [r.id for r in open_runs]})
    return ctx.say("wechat/survey_choose.txt", runs=open_runs)


@registry.keyword("调查结果", "投票结果", "问卷结果")
def results(inbound: Inbound, ctx: Context) -> replies.Reply:
    """Figures of the community's surveys whose results are public (by default: after close)."""
    binding = active_binding(ctx.resident.id, session=ctx.session)
    household = binding and ctx.session.get(Household, binding.household_id)
    if household is None:
        return ctx.say("wechat/survey_not_allowed.txt", reason="请先回复“绑定”绑定您家的门牌，再查看本小区的调查结果")
    published = publicity.for_community(household.community_id, session=ctx.session)
    done = {p.run_id for p in published}
    public = [r for r in runs.recent_runs(household.community_id, session=ctx.session)
              if runs.results_visible(r, ctx.now) and r.id not in done]
    figures = [stats.summary(r.id, session=ctx.session) for r in public[:3]]
    return ctx.say("wechat/survey_results.txt", figures=figures, now=ctx.now,
                   published=[{"s": p.figures["summary"], "open": publicity.is_open(p, ctx.now),
                               "ends": show(p.objection_ends_at)} for p in published])


def begin(ctx: Context, run: SurveyRun, household_id: int) -> replies.Reply:
    if run.rule:  # an owners' decision: verified owners of flats in its scope only, told why otherwise
        try:
            ballots.run_voter_household(run, ctx.resident.id, session=ctx.session)
        except NotAllowed as exc:
            conversation.end(ctx)
            return ctx.say("wechat/survey_not_allowed.txt", reason=str(exc))
    existing = ballots.find(run.id, household_id, session=ctx.session)
    household = ctx.session.get(Household, household_id)
    if existing is not None and not household.answers_changeable:
        conversation.end(ctx)
        return ctx.say("wechat/survey_already.txt", run=run, link=h5_link(ctx, run))
    d = runs.version_of(run, session=ctx.session).definition
    first = next_question(d, {})
    state = {"stage": "question", "run": run.id, "answers": {}, "path": [], "current": first["code"]}
    reply = prompt(ctx, Step(run, d, state), intro=True, changing=existing is not None, link=h5_link(ctx, run),
                   share=cost_sharing.share_of(run, household_id, session=ctx.session))
    conversation.start(ctx, FLOW, state)  # after prompt: it passes over leading notes
    return reply


def resume(ctx: Context, state: dict) -> replies.Reply:
    run = runs.get(state["run"], session=ctx.session)
    step = Step(run, runs.version_of(run, session=ctx.session).definition, dict(state))
    reply = prompt(ctx, step, resumed=True, link=h5_link(ctx, run))
    conversation.start(ctx, FLOW, step.state)
    return reply


@registry.flow(FLOW)
def continue_survey(inbound: Inbound, ctx: Context) -> replies.Reply | None:
    if inbound.text is None and not isinstance(inbound, ImageMessage):
        return None  # events (another menu) go to their own handlers
    conv = conversation.current(ctx)
    state = dict(conv.state)
    text = registry.normalize(inbound.text or "")
    if text in QUIT:
        return pause(ctx, state)
    if state.get("stage") == "choose":
        return choose(ctx, state, text)
    run = runs.get(state["run"], session=ctx.session)
    if not runs.is_open(run, ctx.now):
        conversation.end(ctx)
        return ctx.say("wechat/survey_not_allowed.txt", reason="本次调查已结束")
    step = Step(run, runs.version_of(run, session=ctx.session).definition, state)
    if text in BACK:
        step.back()
    elif state["stage"] == "confirm":
        return confirm(ctx, step, text)
    else:
        error = take_answer(step, inbound, text)
        if error:
            return _saved(ctx, conv, step, prompt(ctx, step, error=error))
    return _saved(ctx, conv, step, prompt(ctx, step))


def _saved(ctx: Context, conv, step: Step, reply: replies.Reply) -> replies.Reply:
    conversation.save(ctx, conv, step.state)
    return reply


def choose(ctx: Context, state: dict, text: str) -> replies.Reply:
    ids = state["runs"]
    if not text.isdigit() or not 1 <= int(text) <= len(ids):
        chosen = [runs.get(i, session=ctx.session) for i in ids]
        return ctx.say("wechat/survey_choose.txt", runs=chosen, error=True)
    household = ballots.voter_household(ctx.resident.id, session=ctx.session)
    return begin(ctx, runs.get(ids[int(text) - 1], session=ctx.session), household.id)


def confirm(ctx: Context, step: Step, text: str) -> replies.Reply:
    if text in ("2", "重填", "重新填写"):
        household = ballots.voter_household(ctx.resident.id, session=ctx.session)
        return begin(ctx, step.run, household.id)
    if text not in ("1", "提交", "确认", "确定"):
        return prompt(ctx, step, error="请回复 1 提交，或回复 2 重新填写")
    try:
        ballot = ballots.cast_by_resident(step.run.id, ctx.resident.id, step.state["answers"], channel="wechat",
                                          session=ctx.session, now=ctx.now, render=ctx.render)
    except SurveyError as exc:
        conversation.end(ctx)
        return ctx.say("wechat/survey_not_allowed.txt", reason=str(exc))
    conversation.end(ctx)
    return ctx.say("wechat/survey_done.txt", run=step.run, ballot=ballot,
                   results=runs.results_visible(step.run, ctx.now))


def pause(ctx: Context, state: dict) -> replies.Reply:
    conv = conversation.start(ctx, PAUSED, state, ttl=PAUSE_TTL)
    conversation.save(ctx, conv, state, ttl=PAUSE_TTL)
    return ctx.say("wechat/survey_paused.txt", started=bool(state.get("answers")))


def h5_link(ctx: Context, run: SurveyRun) -> str:
    secret = ctx.settings["app"]["secret_key"]
    token = links.make_token(secret, resident_id=ctx.resident.id, run_id=run.id, now_s=ctx.now.timestamp())
    return links.survey_url(ctx.settings["app"]["public_base_url"], run.id, token)
