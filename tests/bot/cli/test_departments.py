"""``department create`` and ``department list --json`` as promised to operators (INTERFACES.md)."""
from __future__ import annotations

import json

from sqlmodel import func, select

from models import AuditLog, Department, StaffUser
from tests.fixtures.console import community_named


def departments_json(runner, *extra: str) -> list[dict]:
    result = runner.invoke(args=["department", "list", "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_create_prints_the_id_and_list_shows_it_with_its_staff(runner, db_session):
    community_named(db_session, "幸福里小区")
    db_session.commit()
    made = runner.invoke(args=["department", "create", "燃气公司", "--category", "safety", "--category", "供水排水",
                               "--community", "幸福里小区", "--phone", "0311-96577", "--phone-public"])
    assert made.exit_code == 0, made.output
    department_id = int(made.output.strip())
    account = runner.invoke(args=["user", "create", "gas1", "--role", "department", "--department", "燃气公司"],
                            input="s3cret-Passw0rd\n")
    assert account.exit_code == 0, account.output
    assert db_session.exec(select(StaffUser).where(StaffUser.username == "gas1")).one().department_id == department_id
    [item] = departments_json(runner)
    assert {k: item[k] for k in ("id", "name", "categories", "communities", "staff")} == {
        "id": department_id, "name": "燃气公司", "categories": ["safety", "water"], "communities": ["幸福里小区"],
        "staff": ["gas1"]}
    assert item["phone"] == "0311-96577" and item["phone_public"] is True and item["retired"] is False
    assert db_session.exec(select(AuditLog.action)).all() == ["department.create", "staff.create"]


def test_a_department_without_communities_serves_all(runner):
    made = runner.invoke(args=["department", "create", "街道城建科", "--category", "building"])
    assert made.exit_code == 0, made.output
    assert departments_json(runner)[0]["communities"] == []
    assert "小区：全部" in runner.invoke(args=["department", "list"]).output


def test_unknown_category_or_community_is_refused_and_nothing_written(runner, db_session):
    community_named(db_session, "幸福里小区")
    db_session.commit()
    bad_category = runner.invoke(args=["department", "create", "市政", "--category", "water", "--category", "gas"])
    assert bad_category.exit_code != 0
    assert "未知的诉求类别：gas" in bad_category.output and "water" in bad_category.output  # lists what exists
    bad_community = runner.invoke(args=["department", "create", "市政", "--category", "water",
                                        "--community", "幸福里小区", "--community", "无此小区"])
    assert bad_community.exit_code != 0 and "小区不存在：无此小区" in bad_community.output
    assert db_session.exec(select(func.count()).select_from(Department)).one() == 0
    assert departments_json(runner) == []


def test_duplicate_name_and_unknown_department_account_are_refused(runner):
    assert runner.invoke(args=["department", "create", "物业"]).exit_code == 0
    again = runner.invoke(args=["department", "create", "物业"])
    assert again.exit_code != 0 and "已存在" in again.output
    account = runner.invoke(args=["user", "create", "x1", "--role", "department", "--department", "无此部门"],
                            input="s3cret-Passw0rd\n")
    assert account.exit_code != 0 and "部门“无此部门”不存在" in account.output
    assert len(departments_json(runner)) == 1


def test_retired_departments_are_listed_only_with_all(runner, db_session, clock):
    from handlers.complaints.departments import retire_department
    from tests.fixtures.complaints import now_of

    runner.invoke(args=["department", "create", "旧物业", "--category", "environment"])
    retire_department(db_session.exec(select(Department)).one(), now=now_of(clock), session=db_session)
    db_session.commit()
    assert departments_json(runner) == []
    assert departments_json(runner, "--all")[0]["retired"] is True
    account = runner.invoke(args=["user", "create", "x2", "--role", "department", "--department", "旧物业"],
                            input="s3cret-Passw0rd\n")
    assert account.exit_code != 0 and "已撤销" in account.output


IMPORT_HEADER = ["部门名称", "承办类别", "服务小区", "负责人", "联系电话", "电话公开", "工作时间"]


def test_import_xlsx_creates_then_updates_by_name(runner, db_session, tmp_path):
    from tests.fixtures.households import xlsx_bytes

    community_named(db_session, "幸福里小区")
    db_session.commit()
    path = tmp_path / "departments.xlsx"
    path.write_bytes(xlsx_bytes([["供热公司", "供水排水、building", "幸福里小区", "", 8612345, "是", "采暖季 24 小时"],
                                 ["街道城建科", "construction", "", "", "", "", ""]], header=IMPORT_HEADER))
    first = runner.invoke(args=["department", "import", str(path)])
    assert first.exit_code == 0, first.output
    assert "新增 2 个部门，更新 0 个" in first.output
    heat = {d["name"]: d for d in departments_json(runner)}["供热公司"]
    assert heat["categories"] == ["water", "building"] and heat["communities"] == ["幸福里小区"]
    assert (heat["phone"], heat["phone_public"], heat["hours"]) == ("8612345", True, "采暖季 24 小时")
    again = runner.invoke(args=["department", "import", str(path)])
    assert again.exit_code == 0 and "新增 0 个部门，更新 2 个" in again.output


def test_import_with_a_bad_row_writes_nothing(runner, db_session, tmp_path):
    from tests.fixtures.households import csv_bytes

    path = tmp_path / "departments.csv"
    path.write_bytes(csv_bytes([["物业", "environment", "", "", "", "", ""], ["燃气", "gas", "无此小区", "", "", "", ""]],
                               header=IMPORT_HEADER))
    result = runner.invoke(args=["department", "import", str(path)])
    assert result.exit_code != 0
    assert "第3行：未知的诉求类别：gas" in result.output and "未导入任何数据" in result.output
    assert db_session.exec(select(func.count()).select_from(Department)).one() == 0
