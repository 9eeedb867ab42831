"""The life of a complaint: every transition, in one table, through one function.

``transition(complaint, action, env=..., actor=..., note=..., **params)`` checks
the source state and the actor's role, applies the action's effect
(effects.py), moves the state, restarts the time limit, records a
ComplaintEvent and queues the resident's notice, then flushes.  Nothing else
in the code base assigns ``complaint.state``.
"""
from __future__ import annotations

from dataclasses import dataclass

from handlers.complaints import deadlines, effects, notices
from handlers.complaints.env import Actor, Env
from handlers.complaints.labels import ACTION_LABELS, PARAM_LABELS
from handlers.complaints.rules import TransitionError
from handlers.complaints.states import STATES
from models import Complaint, ComplaintEvent

STAFF = ("worker", "admin")


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    public: bool = False  # the resident (and followers) are told
    requires: tuple[str, ...] = ()  # parameters that must be given
    accepts: tuple[str, ...] = ()  # parameters that may be given
    clock: str | None = None  # the deadline clock it starts (deadlines.CLOCKS); None: the entered state's
    may_end_in: tuple[str, ...] = ()  # states its effect may choose instead of target (rate: reopened)

    @property
    def targets(self) -> tuple[str, ...]:
        return (self.target, *self.may_end_in)

    def clock_into(self, state: str) -> str:
        """The clock this transition starts when it ends in ``state`` (an effect may choose the state)."""
        return self.clock or STATES[state].clock


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(("draft",), "submitted", ("resident", "system", "worker", "admin"), public=True),
    "request_info": Transition(("submitted", "reopened"), "need_info", STAFF, public=True, requires=("note",)),
    "add_info": Transition(("need_info",), "submitted", ("resident", "worker", "admin")),
    "accept": Transition(("submitted", "reopened"), "accepted", STAFF, accepts=("category",)),
    "dispatch": Transition(("submitted", "accepted", "returned", "reopened"), "dispatched", STAFF + ("system",),
                           public=True, accepts=("department_id",)),
    "sign": Transition(("dispatched",), "in_progress", ("department", "admin"), public=True),
    "return": Transition(("dispatched", "in_progress"), "returned", ("department", "admin"), requires=("note",)),
    "request_extension": Transition(("in_progress",), "extension_requested", ("department", "admin"),
                                    requires=("note", "workdays")),
    "grant_extension": Transition(("extension_requested",), "in_progress", STAFF, accepts=("workdays",),
                                  clock="extend"),
    "deny_extension": Transition(("extension_requested",), "in_progress", STAFF, requires=("note",),
                                 clock=deadlines.KEEP),
    "resolve": Transition(("in_progress", "extension_requested"), "resolved", ("department", "admin"),
                          public=True, requires=("note",)),
    "rate": Transition(("resolved",), "closed", ("resident",), public=True, requires=("result",),
                       accepts=("score",), may_end_in=("reopened",)),
    "reopen": Transition(("resolved", "closed"), "reopened", STAFF, public=True, requires=("note",)),
    "close": Transition(("resolved", "reopened", "need_info"), "closed", STAFF + ("system",), public=True,
                        requires=("reason",), accepts=("signed_off_by",)),
    "reject": Transition(("submitted", "need_info", "reopened"), "rejected", STAFF, public=True,
                         requires=("reason", "note")),
    "mark_duplicate": Transition(("submitted", "need_info", "accepted"), "duplicate", STAFF, public=True,
                                 requires=("original_id",)),
}
# What the console's action forms may send besides the note: the parameters of every staff action.
STAFF_PARAMS = tuple(dict.fromkeys(name for t in TRANSITIONS.values() if set(t.roles) & {*STAFF, "department"}
                                   for name in t.requires + t.accepts if name != "note"))


def allowed_actions(complaint: Complaint, actor: Actor) -> list[str]:
    """Actions this actor may take on the complaint in its current state (for the console)."""
    return [name for name, t in TRANSITIONS.items()
            if complaint.state in t.sources and _may(actor, t, complaint)]


def transition(complaint: Complaint, action: str, *, env: Env, actor: Actor, note: str = "",
               notify: bool = True, **params) -> ComplaintEvent:
    """Do ``action`` on ``complaint``; returns the recorded event.  Raises TransitionError."""
    spec = TRANSITIONS.get(action)
    if spec is None:
        raise TransitionError(f"未知操作：{action}")
    _check(complaint, action, spec, actor, note, params)
    source = complaint.state
    target, data = effects.apply(action, complaint, env=env, actor=actor, note=note, params=params)
    if target not in (None, *spec.targets):
        raise RuntimeError(f"effect of {action} chose {target}, not in its table row")  # a code error
    complaint.state = target or spec.target
    deadlines.restart_clock(complaint, spec.clock_into(complaint.state), env, int(data.get("workdays") or 0))
    complaint.updated_at = env.now
    event = ComplaintEvent(complaint_id=complaint.id, at=env.now, actor=actor.name[:64], action=action,
                           from_state=source, to_state=complaint.state, note=note[:1000],
                           public=spec.public, data=data)
    env.session.add_all([complaint, event])
    env.session.flush()
    if spec.public and notify:
        notices.tell(complaint, event, env)
    return event


def _check(complaint: Complaint, action: str, spec: Transition, actor: Actor, note: str, params: dict) -> None:
    if complaint.state not in spec.sources:
        now = STATES[complaint.state].staff if complaint.state in STATES else complaint.state
        raise TransitionError(f"当前状态（{now}）不能执行此操作（{ACTION_LABELS.get(action, action)}）")
    if not _may(actor, spec, complaint):
        raise TransitionError("您没有权限执行此操作")
    given = {"note": note.strip(), **params}
    missing = [name for name in spec.requires if given.get(name) in (None, "")]
    if missing:
        raise TransitionError("缺少必填内容：" + "、".join(PARAM_LABELS.get(name, name) for name in missing))


def _may(actor: Actor, spec: Transition, complaint: Complaint) -> bool:
    if actor.role not in spec.roles:
        return False
    if actor.role == "department":
        return actor.department_id is not None and actor.department_id == complaint.department_id
    return True
