"""Demo data for 幸福里小区: a roster of four buildings, a worker, an admin, two departments.

Loading twice changes nothing (the roster import is idempotent; accounts and
departments are created only when missing).  Passwords are fixed demo values,
printed by ``init-db --demo``; never use this loader in production.
"""
from __future__ import annotations

from flask import current_app
from sqlmodel import Session, select
from werkzeug.security import generate_password_hash

from bot.demo import DEMO_COMMUNITY
from handlers.complaints import departments
from handlers.complaints.departments import DepartmentSpec
from handlers.households.roster import import_roster
from handlers.households.staff import create_staff
from models import StaffUser

# Created through the same service as the console and ``department create``; categories by code.
DEPARTMENTS = [DepartmentSpec("物业服务中心", ["environment", "greening", "parking"], phone="0311-86001234",
                              phone_public=True, hours="每天 8:00–20:00"),
               DepartmentSpec("市政维修", ["water", "facility"], phone="0311-86005678", hours="周一至周五 8:30–17:30")]
ACCOUNTS = [("demo_admin", "admin", "Linli-admin-2024", (), None),
            ("demo_worker", "worker", "Linli-worker-2024", (DEMO_COMMUNITY,), None),
            ("demo_wuye", "department", "Linli-wuye-2024", (), "物业服务中心")]
SUPERVISORS = {"物业服务中心": ["demo_wuye"]}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["秀英", "桂兰", "建国", "志强", "淑珍", "国华", "玉兰", "德明", "丽华", "建华", "凤英", "海燕"]
STATUS_CYCLE = ["自住"] * 7 + ["出租", "自住", "空置", "自住", "自住"]


def roster_rows() -> list[list[str]]:
    """4 buildings × 2 units × 6 floors × 2 rooms = 96 households."""
    rows, n = [], 0
    for building in range(1, 5):
        for unit in (1, 2):
            for floor in range(1, 7):
                for door in (1, 2):
                    n += 1
                    status = "非住宅" if building == 4 and floor == 1 else STATUS_CYCLE[n % len(STATUS_CYCLE)]
                    name = SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)]
                    rows.append([DEMO_COMMUNITY, f"{building}号楼", str(unit), f"{floor}0{door}", name,
                                 f"139{n:08d}", status])
    return rows


def roster_csv() -> bytes:
    header = ["小区", "楼栋", "单元", "房号", "户主姓名", "联系电话", "状态"]
    return "\n".join(",".join(row) for row in [header, *roster_rows()]).encode("utf-8")


def ensure_departments(*, session: Session) -> None:
    for spec in DEPARTMENTS:
        if departments.find(spec.name, session=session) is None:
            departments.create_department(spec, settings=current_app.config["LINLI"], session=session)


def ensure_supervisors(*, session: Session) -> None:
    """Once the accounts exist: who is told when a department's complaint is overdue."""
    for name, usernames in SUPERVISORS.items():
        department = departments.find(name, session=session)
        spec = departments.spec_of(department, session=session)
        if department.retired_at is None and not spec.supervisors:
            spec.supervisors = usernames
            departments.update_department(department, spec, settings=current_app.config["LINLI"], session=session)


def ensure_accounts(*, session: Session) -> list[str]:
    lines = []
    for username, role, password, communities, department in ACCOUNTS:
        if session.exec(select(StaffUser).where(StaffUser.username == username)).first() is None:
            create_staff(username=username, password_hash=generate_password_hash(password), role=role,
                         communities=communities, department=department, display_name=username, session=session)
        lines.append(f"控制台账号（{role}）：{username} / {password}")
    return lines


def load(*, session: Session) -> list[str]:
    ensure_departments(session=session)
    result = import_roster(roster_csv(), session=session, filename="demo-roster.csv", actor="demo")
    if not result.ok:
        raise RuntimeError("demo roster: " + "; ".join(str(e) for e in result.errors[:5]))
    lines = [f"演示花名册：{result.total} 户（4 栋楼），新增 {result.created}"]
    lines += ensure_accounts(session=session)
    ensure_supervisors(session=session)
    return lines + [demo_household_line(), "控制台：/console/  （绑定：在聊天中发送“绑定”，户主姓名见花名册）"]


def demo_household_line() -> str:
    """One household to bind to in the simulator (the console masks names, so print it here)."""
    community, building, unit, room, name, phone, _ = roster_rows()[0]
    return f"演示户（绑定用）：{community} {building} {unit}单元 {room}，户主 {name}，电话 {phone}"
