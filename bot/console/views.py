"""Small helpers shared by console views (arguments, the households' labels, chat text)."""
from __future__ import annotations

from bot.urls import int_param
from models import localtime
from models.households import HOUSEHOLD_STATUSES, REQUEST_REASONS
from models.privacy import mask_name, mask_phone

STATUS_LABELS = {"occupied": "自住", "rented": "出租", "vacant": "空置", "non_residential": "非住宅"}
ROLE_LABELS = {"owner": "产权人", "family": "家庭成员", "tenant": "租户"}
STAFF_ROLE_LABELS = {"admin": "管理员", "worker": "社区工作人员", "department": "部门人员"}
POLICY_LABELS = {"any_verified": "已核实的任一成员", "owner_only": "仅产权人"}
REQUEST_REASON_LABELS = {"mismatch": "与花名册不符", "no_roster": "花名册无户主信息", "second_owner": "已有产权人绑定",
                         "name_only": "仅核对了户主姓名"}
PROOF_LABELS = {"": "未核对上", "name": "户主姓名相符", "phone": "手机后四位相符"}
assert set(STATUS_LABELS) == set(HOUSEHOLD_STATUSES)
assert set(REQUEST_REASON_LABELS) == set(REQUEST_REASONS)


def int_arg(name: str, source=None) -> int | None:
    """None when absent or empty, 400 when not a plain number in an id's range (bot.urls)."""
    return int_param(name, source)


def unit_room(unit: str, room: str) -> str:
    return (f"{unit}单元" if unit and unit.isdigit() else unit) + room


def register_filters(app) -> None:
    app.jinja_env.filters.setdefault("mask_name", mask_name)
    app.jinja_env.filters.setdefault("mask_phone", mask_phone)
    app.jinja_env.filters.setdefault("status_label", lambda s: STATUS_LABELS.get(s, s))
    app.jinja_env.filters.setdefault("role_label", lambda s: ROLE_LABELS.get(s, s))
    app.jinja_env.filters.setdefault("request_reason_label", lambda s: REQUEST_REASON_LABELS.get(s, s))
    app.jinja_env.filters.setdefault("proof_label", lambda s: PROOF_LABELS.get(s or "", s))
    app.jinja_env.filters.setdefault("staff_role_label", lambda s: STAFF_ROLE_LABELS.get(s, s))
    app.jinja_env.filters.setdefault("unit_room", lambda h: unit_room(h.unit, h.room))
    app.jinja_env.filters.setdefault("local_time", local_time)
    app.jinja_env.filters.setdefault("json_text", json_text)


def json_text(value) -> str:
    import json

    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def local_time(value, fmt: str = localtime.DATETIME) -> str:
    """Aware UTC shown in the app's time zone."""
    return localtime.show(value, fmt)
