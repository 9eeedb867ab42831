"""The console's navigation: features append ``(endpoint, label, roles)``.

``roles`` is a tuple of roles that see the entry, or None for every role.
Endpoints not registered in this app (a feature switched off) are skipped.
"""
from __future__ import annotations

NavItem = tuple[str, str, tuple[str, ...] | None]

NAV: list[NavItem] = [
    ("console.communities", "小区", ("admin", "worker")),
    ("console.households", "住户", ("admin", "worker")),
    ("console.roster_upload", "导入花名册", ("admin", "worker")),
    ("console.binding_requests", "绑定审核", ("admin", "worker")),
    ("console.staff_list", "账号", ("admin",)),
    ("console.audit_log", "操作日志", ("admin",)),
]


def add(endpoint: str, label: str, roles: tuple[str, ...] | None = None) -> None:
    """Append once (a module imported twice does not duplicate its entry)."""
    if all(item[0] != endpoint for item in NAV):
        NAV.append((endpoint, label, roles))


def visible_items(role: str | None, endpoints: set[str]) -> list[NavItem]:
    return [item for item in NAV
            if item[0] in endpoints and (item[2] is None or (role is not None and role in item[2]))]
