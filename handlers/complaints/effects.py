"""What each lifecycle action does besides moving the state (lifecycle.py calls ``apply``).

An effect returns ``(target or None, event data)``; None keeps the table's target.
"""
from __future__ import annotations

from typing import Callable

from sqlmodel import select

from handlers import registry
from handlers.complaints import routing, tickets
from handlers.complaints.categories import by_code
from handlers.complaints.env import Actor, Env
from handlers.complaints.rules import CLOSURE_REASONS, REASONS_FOR, TransitionError
from models import Complaint, ComplaintEvent, ComplaintFollower, ComplaintPhoto

Effect = Callable[..., tuple]
EFFECTS: dict[str, Effect] = {}
RATINGS = ("solved", "partly", "not_solved")


class EffectError(ValueError):
    pass


def effect(name: str):
    def register(fn: Effect) -> Effect:
        registry.put(EFFECTS, name, fn, what="complaint effect")  # two effects of one action raise
        return fn
    return register


def apply(action: str, complaint: Complaint, *, env: Env, actor: Actor, note: str, params: dict):
    fn = EFFECTS.get(action)
    if fn is None:
        return None, {}
    try:
        return fn(complaint, env=env, actor=actor, note=note, **params)
    except EffectError as exc:
        raise TransitionError(str(exc)) from exc


@effect("submit")
def _submit(c: Complaint, *, env: Env, **_):
    c.ticket = c.ticket or tickets.next_ticket(session=env.session, now=env.now)
    c.submitted_at = env.now
    category = by_code(env.settings, c.category)
    c.deadline_class = category.deadline_class if category else "general"
    return None, {"ticket": c.ticket}


@effect("add_info")
def _add_info(c: Complaint, *, env: Env, note: str, **_):
    c.description = (c.description + "\n【补充】" + note.strip()).strip()
    return None, {}


@effect("accept")
def _accept(c: Complaint, *, env: Env, category: str | None = None, **_):
    if category:
        found = by_code(env.settings, category)
        if found is None:
            raise EffectError("未知分类")
        c.category, c.deadline_class = found.code, found.deadline_class
    return None, {"category": c.category}


@effect("dispatch")
def _dispatch(c: Complaint, *, env: Env, department_id: int | None = None, **_):
    suggested = routing.department_for(c.category, c.community_id, env.settings, session=env.session)
    chosen = int(department_id) if department_id else (suggested.id if suggested else None)
    department = routing.get_department(chosen, session=env.session)
    if department is None:
        raise EffectError("请选择承办部门（该类别在本小区没有默认承办部门，请管理员在“部门”中设置）")
    if department.retired_at is not None:
        raise EffectError(f"部门“{department.name}”已撤销，请选择其他部门")
    c.department_id = department.id
    c.routed_by = "category" if suggested and suggested.id == department.id else "manual"
    return None, {"department_id": department.id, "department": department.name, "routed_by": c.routed_by}


@effect("return")
def _return(c: Complaint, *, env: Env, **_):
    if c.return_count >= env.cfg.max_returns:
        raise EffectError(f"退单已达{env.cfg.max_returns}次上限，请联系社区协调处理")
    c.return_count += 1
    department_id, c.department_id = c.department_id, None
    return None, {"department_id": department_id, "return_count": c.return_count}


@effect("request_extension")
def _request_extension(c: Complaint, *, workdays, **_):
    days = int(workdays)
    if not 1 <= days <= 30:
        raise EffectError("延期天数应为1至30个工作日")
    return None, {"requested_workdays": days}


@effect("grant_extension")
def _grant_extension(c: Complaint, *, env: Env, workdays: int | None = None, **_):
    if not workdays:
        asked = env.session.exec(select(ComplaintEvent).where(ComplaintEvent.complaint_id == c.id,
                                                              ComplaintEvent.action == "request_extension")
                                 .order_by(ComplaintEvent.id.desc())).first()
        workdays = (asked.data or {}).get("requested_workdays", 1) if asked else 1
    return None, {"workdays": int(workdays)}


@effect("resolve")
def _resolve(c: Complaint, *, env: Env, **_):
    after = env.session.exec(select(ComplaintPhoto).where(ComplaintPhoto.complaint_id == c.id,
                                                          ComplaintPhoto.kind == "after",
                                                          ComplaintPhoto.redacted == False)).first()  # noqa: E712
    if after is None:
        raise EffectError("办结需上传处理后的照片")
    c.resolved_at = env.now
    c.resolved_on_time = c.due_at is None or env.now <= c.due_at
    return None, {"after_photo_id": after.id, "on_time": c.resolved_on_time}


@effect("rate")
def _rate(c: Complaint, *, env: Env, result: str, score: int | None = None, **_):
    if result not in RATINGS:
        raise EffectError("评价应为：已解决、部分解决或未解决")
    if score is not None and not 1 <= int(score) <= 5:
        raise EffectError("评分应为1到5分")
    c.rating_result, c.rating_score, c.rated_at = result, (int(score) if score else None), env.now
    if result == "not_solved":
        c.closed_at = None
        return "reopened", {"result": result, "score": c.rating_score}
    c.closure_reason, c.closed_at = "fixed", env.now
    return None, {"result": result, "score": c.rating_score}


@effect("reopen")
def _reopen(c: Complaint, **_):
    c.closed_at, c.closure_reason = None, None
    return None, {}


@effect("close")
def _close(c: Complaint, *, env: Env, note: str, reason: str, signed_off_by: str = "", **_):
    _closure("close", reason, note)
    if reason == "closed_unsatisfied" and not signed_off_by:
        raise EffectError("居民不满意仍要办结，须由负责人签字确认")
    c.closure_reason, c.closure_note, c.closed_at = reason, note[:500], env.now
    return None, {"reason": reason, "signed_off_by": signed_off_by}


@effect("reject")
def _reject(c: Complaint, *, env: Env, note: str, reason: str, **_):
    _closure("reject", reason, note)
    c.closure_reason, c.closure_note, c.closed_at = reason, note[:500], env.now
    return None, {"reason": reason}


@effect("mark_duplicate")
def _duplicate(c: Complaint, *, env: Env, original_id, **_):
    original = _original(env, str(original_id).strip())
    while original is not None and original.duplicate_of_id:
        original = env.session.get(Complaint, original.duplicate_of_id)
    if original is None or original.id == c.id or original.state == "draft":
        raise EffectError("找不到原诉求")
    c.duplicate_of_id, c.closure_reason, c.closed_at = original.id, "duplicate", env.now
    if c.openid and c.openid != original.openid and env.session.get(ComplaintFollower, (original.id, c.openid)) is None:
        env.session.add(ComplaintFollower(complaint_id=original.id, openid=c.openid, via_complaint_id=c.id))
    return None, {"original_id": original.id, "original_ticket": original.ticket}


def _original(env: Env, given: str) -> Complaint | None:
    """The complaint a worker names: by its ticket (SP20261204-0001) or its number in the console's address."""
    if given.upper().startswith("SP"):
        return env.session.exec(select(Complaint).where(Complaint.ticket == given.upper())).first()
    return env.session.get(Complaint, int(given)) if given.isdigit() else None


def _closure(action: str, reason: str, note: str) -> None:
    if reason not in REASONS_FOR[action]:
        raise EffectError("这个原因不适用于此操作" if reason in CLOSURE_REASONS else "未知的办结原因")
    if reason in ("cannot_fix", "not_ours") and not note.strip():
        raise EffectError("请说明原因（无法解决的原因，或应联系的单位）")
