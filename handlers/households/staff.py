"""Staff accounts: created with a password hash computed at the edge (bot/ owns werkzeug)."""
from __future__ import annotations

import re

from sqlmodel import Session, select

from models import Community, Department, StaffCommunity, StaffUser
from models.households import STAFF_ROLES

_USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,64}$")


class StaffError(ValueError):
    """The account cannot be created as asked (message in Chinese)."""


def revoke_sessions(user: StaffUser) -> None:
    """End every console session of the account (the session key carries the generation)."""
    user.session_generation = (user.session_generation or 0) + 1


def change_password(user: StaffUser, password_hash: str, *, session: Session) -> None:
    """Set a new password; every session opened with the old one ends."""
    user.password_hash = password_hash
    revoke_sessions(user)
    session.add(user)
    session.flush()


def set_active(user: StaffUser, active: bool, *, session: Session) -> None:
    """Enable or disable an account; disabling ends its sessions, so enabling again does not revive them."""
    user.active = active
    if not active:
        revoke_sessions(user)
    session.add(user)
    session.flush()


def create_staff(*, session: Session, username: str, password_hash: str, role: str,
                 communities: list[str] | tuple[str, ...] = (), department: str | None = None,
                 display_name: str = "") -> StaffUser:
    """Create an account serving the named communities (workers) or department (department staff)."""
    if not _USERNAME.match(username):
        raise StaffError("用户名只能包含字母、数字、下划线、点和短横线（2–64位）")
    if role not in STAFF_ROLES:
        raise StaffError(f"角色应为 {' / '.join(STAFF_ROLES)}")
    if session.exec(select(StaffUser).where(StaffUser.username == username)).first():
        raise StaffError(f"用户名“{username}”已存在")
    if role == "worker" and not communities:
        raise StaffError("社区工作人员至少要负责一个小区（--community）")
    if role == "department" and not department:
        raise StaffError("部门账号必须指定部门（--department）")
    found = {c.name: c for c in session.exec(select(Community).where(Community.name.in_(list(communities))))}
    missing = [name for name in communities if name not in found]
    if missing:
        raise StaffError("小区不存在：" + "、".join(missing))
    dept = session.exec(select(Department).where(Department.name == department)).first() if department else None
    if department and dept is None:
        raise StaffError(f"部门“{department}”不存在（先用 department create 或控制台“部门”添加）")
    if dept is not None and dept.retired_at is not None:
        raise StaffError(f"部门“{department}”已撤销")
    user = StaffUser(username=username, password_hash=password_hash, role=role, display_name=display_name,
                     department_id=dept.id if dept else None)
    session.add(user)
    session.flush()
    for name in dict.fromkeys(communities):
        session.add(StaffCommunity(staff_id=user.id, community_id=found[name].id))
    session.flush()
    return user
