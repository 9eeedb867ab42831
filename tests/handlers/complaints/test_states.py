"""The state table is complete: a new state or transition that misses a part fails here, not silently.

Each check names what a newcomer would forget: a label, a deadline clock, a resident
notice, an Open311 status, a place on the map, a console form parameter.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from handlers.complaints import deadlines, duplicates, labels, plan, routing, rules
from handlers.complaints.lifecycle import STAFF_PARAMS, TRANSITIONS, Transition
from handlers.complaints.states import LIVE_STATES, OPEN311_CLOSED, OPEN_STATES, STATES, State

ROOT = Path(__file__).resolve().parents[3]
STOPPED = {"stop", "pause"}  # clocks under which no time limit runs
CJK = re.compile(r"^[\u4e00-\u9fff，、（）]+$")


def running_clock_into(state: str, spec: Transition) -> bool:
    return spec.clock_into(state) not in STOPPED


@pytest.mark.parametrize("state", STATES.values(), ids=lambda s: s.name)
def test_every_state_is_labelled_for_staff_and_residents_in_chinese(state: State):
    assert CJK.match(state.staff) and CJK.match(state.resident)
    assert labels.STATE_LABELS[state.name] == state.staff
    assert labels.RESIDENT_STATE_LABELS[state.name] == state.resident


@pytest.mark.parametrize("state", STATES.values(), ids=lambda s: s.name)
def test_every_open_state_has_a_running_deadline_clock(state: State):
    assert state.clock in deadlines.CLOCKS
    if state.open:
        assert state.clock not in STOPPED, f"{state.name} is open but starts no time limit"


@pytest.mark.parametrize("action", TRANSITIONS)
def test_every_transition_into_an_open_state_starts_a_time_limit(action: str):
    spec = TRANSITIONS[action]
    assert set(spec.sources) | set(spec.targets) <= set(STATES)
    for target in spec.targets:
        assert spec.clock_into(target) in deadlines.CLOCKS
        if STATES[target].open:
            assert running_clock_into(target, spec), f"{action} → {target} leaves the complaint without a deadline"


def test_a_forgotten_clock_is_caught():
    """What the two tests above guard against, shown on a made-up row."""
    forgotten = Transition(("submitted",), "accepted", ("worker",), clock="pause")
    assert not running_clock_into("accepted", forgotten)
    assert running_clock_into("accepted", Transition(("submitted",), "accepted", ("worker",), clock="review"))


@pytest.mark.parametrize("action", [name for name, t in TRANSITIONS.items() if t.public])
def test_every_public_transition_has_its_resident_template(action: str):
    assert (ROOT / "templates" / "wechat" / f"complaint_{action}.txt").is_file()
    assert labels.ACTION_LABELS[action]


def test_every_action_and_parameter_is_labelled():
    assert set(TRANSITIONS) <= set(labels.ACTION_LABELS)
    assert {name for t in TRANSITIONS.values() for name in t.requires + t.accepts} <= set(labels.PARAM_LABELS)


def test_open311_maps_every_published_state():
    from bot.open311 import OPEN_TO_CITY

    assert OPEN_TO_CITY == OPEN311_CLOSED
    unpublished = [s.name for s in STATES.values() if s.open311 is None]
    assert unpublished == ["draft"]
    assert all(s.open311 in ("open", "closed") for s in STATES.values() if s.name != "draft")
    assert not set(OPEN_STATES) & set(OPEN311_CLOSED)  # open for us is open for the city


def test_derived_sets_follow_the_table():
    assert set(OPEN_STATES) <= set(LIVE_STATES)  # an open complaint can take duplicates
    assert duplicates.LIVE_STATES == LIVE_STATES and deadlines.OPEN_STATES == OPEN_STATES
    # Waiting to be dispatched: the states dispatch starts from.
    assert set(routing.WAITING_STATES) == set(TRANSITIONS["dispatch"].sources)


def test_every_state_but_draft_is_drawn_on_the_map():
    groups = {key for key, _label, _states, _colour in plan.STATE_GROUPS}
    for state in STATES.values():
        assert (state.map_group in groups) if state.name != "draft" else state.map_group is None
    assert set(plan.GROUP_OF) == set(STATES) - {"draft"}


def test_closure_reasons_are_labelled_and_fit_their_actions():
    assert labels.CLOSURE_LABELS is rules.CLOSURE_REASONS
    for action, reasons in rules.REASONS_FOR.items():
        assert action in TRANSITIONS and set(reasons) <= set(rules.CLOSURE_REASONS)


def test_the_console_forms_send_only_parameters_the_table_knows():
    page = (ROOT / "templates" / "console" / "complaints" / "detail.html").read_text(encoding="utf-8")
    start, end = page.index('id="actions"'), page.index('id="similar"')
    sent = set(re.findall(r'name="(\w+)"', page[start:end])) - {"csrf_token", "action", "note", "photo"}
    assert sent <= set(STAFF_PARAMS)


def test_each_step_starts_the_clock_its_row_names(make_complaint, department, complaint_env):
    """The clocks as they ran before the table (due_after's if-chain), step by step, for a general complaint."""
    from handlers.complaints.env import Actor
    from handlers.complaints.lifecycle import transition
    from tests.fixtures.complaints import WORKER, add_after_photo

    dept = Actor("dept1", "department", department().id)
    c = make_complaint()
    env = complaint_env()
    workdays = lambda n, start=env.now: env.calendar.add_workdays(start, n)  # noqa: E731
    review, sign = workdays(env.cfg.review_workdays), workdays(env.cfg.sign_workdays)
    handling = workdays(env.cfg.general_workdays)
    steps = [("accept", WORKER, {}, review), ("dispatch", WORKER, {}, sign),
             ("sign", dept, {}, handling),
             ("request_extension", dept, {"note": "等材料", "workdays": 3}, "kept"),
             ("deny_extension", WORKER, {"note": "不必延期"}, "kept"),
             ("request_extension", dept, {"note": "等材料", "workdays": 3}, "kept"),
             ("grant_extension", WORKER, {"workdays": 2}, "extended"),
             ("return", dept, {"note": "非本部门"}, review), ("dispatch", WORKER, {}, sign),
             ("sign", dept, {}, handling), ("resolve", dept, {"note": "已清理"}, None),
             ("rate", Actor.resident(c.resident_id), {"result": "not_solved"}, review),
             ("request_info", WORKER, {"note": "请补充照片"}, None)]
    assert c.due_at == review and c.state == "submitted"
    for action, actor, params, expected in steps:
        before = c.due_at
        if action == "resolve":
            add_after_photo(complaint_env().session, c)
        transition(c, action, env=complaint_env(), actor=actor, **params)
        if expected == "extended":
            expected = workdays(2, max(before, env.now))
        assert c.due_at == (before if expected == "kept" else expected), action
    assert c.state == "need_info" and c.stage_started_at is None
