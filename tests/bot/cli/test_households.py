"""``households import`` and ``user create`` through the real CLI runner."""
from sqlmodel import func, select
from werkzeug.security import check_password_hash

from models import Household, StaffCommunity, StaffUser
from tests.fixtures.households import csv_bytes, roster_rows, xlsx_bytes


def test_import_good_file_twice(runner, db_session, community, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx_bytes(roster_rows()))
    first = runner.invoke(args=["households", "import", str(path), "--no-progress"])
    assert first.exit_code == 0, first.output
    assert "新增 12" in first.output
    second = runner.invoke(args=["households", "import", str(path), "--no-progress"])
    assert second.exit_code == 0 and "未变 12" in second.output
    assert db_session.exec(select(func.count()).select_from(Household)).one() == 12


def test_import_bad_file_fails_with_errors_by_row(runner, db_session, community, tmp_path):
    rows = roster_rows()
    rows[4][6] = "度假"
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(rows, encoding="gbk"))
    result = runner.invoke(args=["households", "import", str(path)])
    assert result.exit_code != 0
    assert "第6行，“状态”：无法识别“度假”" in result.output
    assert "未导入任何数据" in result.output
    assert db_session.exec(select(func.count()).select_from(Household)).one() == 0


def test_user_create_reads_password_from_stdin(runner, db_session, community):
    result = runner.invoke(args=["user", "create", "wang", "--role", "worker", "--community", "幸福里小区"],
                           input="s3cret-Passw0rd\n")
    assert result.exit_code == 0, result.output
    staff = db_session.exec(select(StaffUser).where(StaffUser.username == "wang")).one()
    assert staff.password_hash.startswith("scrypt:") and check_password_hash(staff.password_hash, "s3cret-Passw0rd")
    assert db_session.exec(select(StaffCommunity.community_id)).all() == [community.id]


def test_user_create_refuses_unknown_community_and_duplicates(runner, community):
    bad = runner.invoke(args=["user", "create", "li", "--role", "worker", "--community", "无此小区"],
                        input="s3cret-Passw0rd\n")
    assert bad.exit_code != 0 and "小区不存在" in bad.output
    ok = runner.invoke(args=["user", "create", "root", "--role", "admin"], input="s3cret-Passw0rd\n")
    assert ok.exit_code == 0
    again = runner.invoke(args=["user", "create", "root", "--role", "admin"], input="s3cret-Passw0rd\n")
    assert again.exit_code != 0 and "已存在" in again.output
