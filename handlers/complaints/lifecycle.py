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
from models import Complaint, ComplaintEvent

STATES = ("draft", "submitted", "need_info", "accepted", "dispatched", "returned", "in_progress",
          "extension_requested", "resolved", "reopened", "closed", "rejected", "duplicate")
FINAL_STATES = ("closed", "rejected", "duplicate")
CLOSURE_REASONS = ("fixed", "cannot_fix", "not_ours", "withdrawn", "closed_unsatisfied", "no_response",
                   "invalid", "duplicate")
# Which reasons fit which action: 不予受理 is said before any work, so never 已解决 or 居民撤回.
REASONS_FOR = {"close": ("fixed", "cannot_fix", "not_ours", "withdrawn", "closed_unsatisfied", "no_response",
                         "invalid"),
               "reject": ("not_ours", "invalid")}
STAFF = ("worker", "admin")


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str  # effects may choose another (rate: closed or reopened)
    roles: tuple[str, ...]
    public: bool = False  # the resident (and followers) are told
    requires: tuple[str, ...] = ()  # parameters that must be given


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(("draft",), "submitted", ("resident", "system", "worker", "admin"), public=True),
    "request_info": Transition(("submitted", "reopened"), "need_info", STAFF, public=True, requires=("note",)),
    "add_info": Transition(("need_info",), "submitted", ("resident", "worker", "admin")),
    "accept": Transition(("submitted", "reopened"), "accepted", STAFF),
    "dispatch": Transition(("submitted", "accepted", "returned", "reopened"), "dispatched", STAFF + ("system",),
                           public=True),
    "sign": Transition(("dispatched",), "in_progress", ("department", "admin"), public=True),
    "return": Transition(("dispatched", "in_progress"), "returned", ("department", "admin"), requires=("note",)),
    "request_extension": Transition(("in_progress",), "extension_requested", ("department", "admin"),
                                    requires=("note", "workdays")),
    "grant_extension": Transition(("extension_requested",), "in_progress", STAFF),
    "deny_extension": Transition(("extension_requested",), "in_progress", STAFF, requires=("note",)),
    "resolve": Transition(("in_progress", "extension_requested"), "resolved", ("department", "admin"),
                          public=True, requires=("note",)),
    "rate": Transition(("resolved",), "closed", ("resident",), public=True, requires=("result",)),
    "reopen": Transition(("resolved", "closed"), "reopened", STAFF, public=True, requires=("note",)),
    "close": Transition(("resolved", "reopened", "need_info"), "closed", STAFF + ("system",), public=True,
                        requires=("reason",)),
    "reject": Transition(("submitted", "need_info", "reopened"), "rejected", STAFF, public=True,
                         requires=("reason", "note")),
    "mark_duplicate": Transition(("submitted", "need_info", "accepted"), "duplicate", STAFF, public=True,
                                 requires=("original_id",)),
}


class TransitionError(ValueError):
    """The action is not allowed now, by this actor, or lacks what it needs (message in Chinese)."""


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
    complaint.state = target or spec.target
    deadlines.restart_clock(complaint, action, env, int(data.get("workdays") or 0))
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
        raise TransitionError(f"当前状态（{complaint.state}）不能执行此操作（{action}）")
    if not _may(actor, spec, complaint):
        raise TransitionError("您没有权限执行此操作")
    given = {"note": note.strip(), **params}
    missing = [name for name in spec.requires if given.get(name) in (None, "")]
    if missing:
        raise TransitionError("缺少必填内容：" + "、".join(missing))


def _may(actor: Actor, spec: Transition, complaint: Complaint) -> bool:
    if actor.role not in spec.roles:
        return False
    if actor.role == "department":
        return actor.department_id is not None and actor.department_id == complaint.department_id
    return True
