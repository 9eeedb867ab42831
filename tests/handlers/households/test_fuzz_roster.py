"""Property-based fuzzing of the roster import: broken files and random cells.

Whatever the bytes or the cell values: ``import_roster`` returns a result (it
never raises), a failed import names its errors in plain words and writes
nothing (no community, building, household or audit row), and a successful
one wrote exactly the rows it counted.

Short in the suite; ``LINLI_FUZZ_EXAMPLES=2000`` (or bench/fuzz/run.sh) for a long run.
"""
import io
import os
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from handlers.households.roster import import_roster
from models import AuditLog, Building, Community, Household
from tests.fixtures.households import HEADER_EN, HEADER_ZH, csv_bytes, roster_rows, xlsx_bytes

EXAMPLES = int(os.environ.get("LINLI_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
NAMES = ["roster.csv", "roster.xlsx", "花名册.CSV", "roster.xls", "roster", None, "a.txt"]
TABLES = (Community, Building, Household, AuditLog)
GOOD = {"xlsx": xlsx_bytes(roster_rows()), "csv": csv_bytes(roster_rows())}  # built once: xlsx carries a timestamp


def counts(session) -> tuple:
    return tuple(session.exec(select(func.count()).select_from(model)).one() for model in TABLES)


def run_import(session, data: bytes, filename):
    before = counts(session=session)
    result = import_roster(data, session=session, filename=filename)  # must not raise
    if result.ok:
        session.flush()
        after = counts(session=session)
        assert after[2] - before[2] == result.created
        assert result.created + result.updated + result.unchanged == result.total
    else:
        assert result.errors and all(str(e).strip() for e in result.errors)
        assert counts(session=session) == before  # nothing written on error
    session.rollback()
    return result


cells = st.one_of(st.text(max_size=20), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                  st.sampled_from(["", " ", "自住", "出租", "空置", "非住宅", "幸福里小区", "1号楼", "=1+1", "\u0000",
                                   "１号楼", "01", "1e5", "+86 138-0000-0000", "x" * 200]), st.none())


@st.composite
def tables(draw):
    header = list(draw(st.sampled_from([HEADER_ZH, HEADER_EN])))
    if draw(st.booleans()):
        header = draw(st.permutations(header))
    if draw(st.integers(0, 4)) == 0:
        header = header[:draw(st.integers(0, len(header)))]
    rows = [list(r) for r in roster_rows(buildings=1, units=1, rooms=draw(st.integers(0, 3)))]
    for row in rows:
        for i in range(len(row)):
            if draw(st.integers(0, 3)) == 0:
                row[i] = draw(cells)
    rows += draw(st.lists(st.lists(cells, max_size=9), max_size=3))
    return header, rows


def csv_of(header, rows) -> bytes:
    text = "\r\n".join(",".join("" if v is None else str(v).replace(",", "，").replace("\n", " ")
                                for v in line) for line in [header, *rows])
    return text.encode("utf-8", "surrogatepass")


def xlsx_of(header, rows) -> bytes:
    clean = [["" if isinstance(v, str) and any(ord(c) < 32 for c in v) else v for v in row] for row in rows]
    return xlsx_bytes(clean, header=header)


@FUZZ
@given(raw=st.binary(max_size=3000), filename=st.sampled_from(NAMES))
def test_random_bytes(db_session, community, raw, filename):
    run_import(db_session, raw, filename)


@FUZZ
@given(data=st.data(), filename=st.sampled_from(["roster.xlsx", "roster.csv", None]))
def test_damaged_valid_files(db_session, community, data, filename):
    good = GOOD["csv" if filename == "roster.csv" else "xlsx"]
    cut = data.draw(st.integers(0, len(good)))
    flips = data.draw(st.lists(st.tuples(st.integers(0, len(good) - 1), st.integers(0, 255)), max_size=8))
    damaged = bytearray(good[:cut] if data.draw(st.booleans()) else good)
    for pos, value in flips:
        if pos < len(damaged):
            damaged[pos] = value
    run_import(db_session, bytes(damaged), filename)


@FUZZ
@given(table=tables(), as_xlsx=st.booleans())
def test_random_cells(db_session, community, table, as_xlsx):
    header, rows = table
    data = xlsx_of(header, rows) if as_xlsx else csv_of(header, rows)
    result = run_import(db_session, data, "roster.xlsx" if as_xlsx else "roster.csv")
    if not result.ok:
        assert all(e.row >= 0 for e in result.errors)


def test_zip_bomb_like_xlsx_is_refused_without_writing(db_session, community):
    """A .xlsx whose sheet XML declares entities or is huge when inflated: an error, nothing written."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                                      '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><workbook>&b;</workbook>')
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet>" + "<row/>" * 200_000 + "</worksheet>")
    result = run_import(db_session, buffer.getvalue(), "roster.xlsx")
    assert not result.ok


def test_control_characters_in_cells_are_dropped_not_sent_to_the_database(db_session, community):
    """Found by the fuzzer on PostgreSQL, which refuses NUL in text: a stray NUL is junk, not data."""
    table = [["幸福里小区", "1号楼", "1", "101", "张001", "", "出租"],
             ["幸\x00福里小区", "1号楼", "1", "\x00", "张003", "13800000003", "自住"]]
    result = run_import(db_session, csv_bytes(table), "roster.csv")
    assert not result.ok and any("房号" in str(e) for e in result.errors)  # the emptied room is named
    table[1][3] = "2\x0001"
    assert run_import(db_session, csv_bytes(table), "roster.csv").ok
