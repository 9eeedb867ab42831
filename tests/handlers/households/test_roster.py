"""Roster import: formats, headers, validation, all-or-nothing, idempotence."""
import io

from sqlmodel import func, select

from handlers.households.roster import import_roster
from models import AuditLog, Building, Community, Household
from tests.fixtures.households import HEADER_EN, csv_bytes, roster_rows, xlsx_bytes


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_good_xlsx_creates_buildings_and_households(db_session, community):
    progress = []
    result = import_roster(xlsx_bytes(roster_rows()), session=db_session, filename="roster.xlsx",
                           progress=lambda phase, done, total: progress.append((phase, done, total)))
    db_session.commit()
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated, result.unchanged, result.buildings_created) == (12, 0, 0, 2)
    assert count(db_session, Household) == 12
    assert sorted(b.name for b in db_session.exec(select(Building))) == ["1号楼", "2号楼"]
    household = db_session.exec(select(Household).where(Household.room == "101")).first()
    assert household.unit == "1" and household.status in ("occupied", "rented", "vacant")
    assert progress[-1] == ("write", 12, 12)
    assert db_session.exec(select(AuditLog.action)).all() == ["roster.import"]


def test_english_headers_and_gbk_csv(db_session, community):
    rows = roster_rows(buildings=1, units=1, rooms=2)
    rows[0][6] = "非住宅"
    result = import_roster(csv_bytes(rows, encoding="gbk"), session=db_session, filename="花名册.csv")
    assert result.ok, [str(e) for e in result.errors]
    result = import_roster(csv_bytes(rows, header=HEADER_EN, encoding="utf-8"), session=db_session,
                           filename="roster.csv")
    assert result.ok and result.unchanged == 2
    statuses = sorted(db_session.exec(select(Household.status)).all())
    assert "non_residential" in statuses
    assert db_session.exec(select(Household.owner_name).where(Household.room == "101")).one() == "张001"


def test_importing_twice_changes_nothing(db_session, community):
    data = xlsx_bytes(roster_rows())
    import_roster(data, session=db_session, filename="r.xlsx")
    db_session.commit()
    before = [(h.id, h.updated_at) for h in db_session.exec(select(Household).order_by(Household.id))]
    again = import_roster(data, session=db_session, filename="r.xlsx")
    db_session.commit()
    assert (again.created, again.updated, again.unchanged, again.buildings_created) == (0, 0, 12, 0)
    assert [(h.id, h.updated_at) for h in db_session.exec(select(Household).order_by(Household.id))] == before


def test_changed_row_updates_in_place(db_session, community):
    rows = roster_rows(buildings=1, units=1, rooms=2)
    import_roster(csv_bytes(rows), session=db_session, filename="r.csv")
    rows[1][6] = "出租"
    rows[1][4] = "李四"
    result = import_roster(csv_bytes(rows), session=db_session, filename="r.csv")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    db_session.expire_all()
    changed = db_session.exec(select(Household).where(Household.room == "201")).one()
    assert (changed.owner_name, changed.status) == ("李四", "rented")


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(db_session, community):
    rows = roster_rows(buildings=1, units=1, rooms=4)
    rows[0][3] = ""            # row 2: no room
    rows[1][6] = "度假"         # row 3: unknown status
    rows[2][5] = "电话12"       # row 4: bad phone
    rows.append(list(rows[3]))  # row 6: duplicate of row 5
    result = import_roster(xlsx_bytes(rows), session=db_session, filename="bad.xlsx")
    messages = [str(e) for e in result.errors]
    assert not result.ok
    assert messages[0] == "第2行，“房号”：不能为空"
    assert messages[1].startswith("第3行，“状态”：无法识别“度假”")
    assert messages[2].startswith("第4行，“联系电话”")
    assert messages[3] == "第6行，“房号”：与第5行重复（同一小区、楼栋、单元、房号）"
    assert count(db_session, Household) == 0 and count(db_session, Building) == 0


def test_one_bad_row_among_good_ones_writes_nothing(db_session, community):
    rows = roster_rows()
    rows[7][0] = "不存在小区"
    result = import_roster(csv_bytes(rows), session=db_session, filename="r.csv")
    assert not result.ok
    assert str(result.errors[0]).startswith("第9行，“小区”：小区“不存在小区”不存在")
    assert count(db_session, Household) == 0


def test_missing_required_column(db_session, community):
    result = import_roster(csv_bytes([["幸福里小区", "1"]], header=["小区", "楼栋"]), session=db_session,
                           filename="r.csv")
    assert [str(e) for e in result.errors] == ["第1行，“房号”：缺少必填列（表头应为“房号”或“room”）"]


def test_worker_cannot_import_another_community(db_session, community):
    other = Community(name="和平里小区")
    db_session.add(other)
    db_session.commit()
    rows = roster_rows(community="和平里小区", buildings=1, units=1, rooms=1)
    result = import_roster(csv_bytes(rows), session=db_session, filename="r.csv",
                           allowed_community_ids=frozenset({community.id}))
    assert not result.ok and "无权导入" in str(result.errors[0])


def test_admin_may_create_communities(db_session):
    rows = roster_rows(community="新建小区", buildings=1, units=1, rooms=2)
    result = import_roster(csv_bytes(rows), session=db_session, filename="r.csv", create_communities=True)
    assert result.ok and result.communities_created == 1 and result.created == 2


def test_not_a_roster_file(db_session):
    result = import_roster(b"\x00\x01garbage\xff\xfe", session=db_session, filename="r.xlsx")
    assert not result.ok and "Excel" in str(result.errors[0])


def test_fast_xlsx_reader_agrees_with_openpyxl():
    from openpyxl import Workbook

    from handlers.households.roster_read import _read_xlsx_openpyxl, read_roster

    book = Workbook()
    sheet = book.active
    sheet.append(["小区", "楼栋", "单元", "房号", "户主姓名", "联系电话", "状态", "面积"])
    sheet.append(["幸福里小区", 3, None, 101, "王 五", 13812345678, "自住", 65.5])
    sheet.append(["幸福里小区", "3号楼", 2, "102室", None, None, None, 70])
    sheet["A6"] = "幸福里小区"  # a gap of two blank rows, then a sparse row
    sheet["D6"] = "301"
    buffer = io.BytesIO()
    book.save(buffer)
    fast, slow = read_roster(buffer.getvalue(), "r.xlsx"), _read_xlsx_openpyxl(buffer.getvalue())
    def trimmed(rows):  # openpyxl pads rows to the sheet's width; the fast reader does not
        out = []
        for number, values in rows:
            values = list(values)
            while values and values[-1] is None:
                values.pop()
            out.append((number, values))
        return out

    assert fast.header == slow.header
    assert trimmed(fast.rows) == trimmed(slow.rows)
    assert fast.rows[0] == (2, ["幸福里小区", 3, None, 101, "王 五", 13812345678, "自住", 65.5])
    assert fast.rows[2][0] == 6
