"""``faq import`` / ``faq export``: xlsx and csv, English and Chinese headers, all-or-nothing."""
from __future__ import annotations

from openpyxl import Workbook, load_workbook
from sqlmodel import select

from models import FaqEntry, FaqVersion


def entries(db_session) -> list[FaqEntry]:
    rows = db_session.exec(select(FaqEntry).order_by(FaqEntry.id)).all()
    db_session.commit()
    return list(rows)


def write_xlsx(path, rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)


def test_import_csv_with_chinese_headers(runner, db_session, tmp_path):
    path = tmp_path / "faq.csv"
    path.write_text("问题,相似问法,答案,分类\n加装电梯有补贴吗？,装电梯补多少钱|电梯补助,每部补助20万元,加装电梯\n"
                    "物业费多少钱？,\"物业费标准\n物管费\",按服务等级定价,物业\n", encoding="utf-8")
    result = runner.invoke(args=["faq", "import", str(path)])
    assert result.exit_code == 0, result.output
    rows = entries(db_session)
    assert [(e.question, e.alternatives, e.category) for e in rows] == [
        ("加装电梯有补贴吗？", ["装电梯补多少钱", "电梯补助"], "加装电梯"),
        ("物业费多少钱？", ["物业费标准", "物管费"], "物业")]
    assert rows[0].updated_by == "cli"


def test_import_xlsx_english_headers_and_update_by_question(runner, db_session, tmp_path):
    path = tmp_path / "faq.xlsx"
    write_xlsx(path, [["question", "alternatives", "answer", "category"], ["停车怎么收费？", "车位收费", "业主决定", "停车"]])
    assert runner.invoke(args=["faq", "import", str(path)]).exit_code == 0
    write_xlsx(path, [["question", "answer"], ["停车怎么收费？", "由业主大会决定并公示"]])
    result = runner.invoke(args=["faq", "import", str(path)])
    assert result.exit_code == 0, result.output
    [entry] = entries(db_session)
    assert (entry.answer, entry.alternatives) == ("由业主大会决定并公示", ["车位收费"])


def test_bad_file_lists_errors_by_row_and_writes_nothing(runner, db_session, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("question,answer\n好问题,好答案\n,没有问题的答案\n没有答案的问题,\n好问题,重复\n", encoding="utf-8")
    result = runner.invoke(args=["faq", "import", str(path)])
    assert result.exit_code != 0
    assert "第3行：问题不能为空" in result.output
    assert "第4行：答案不能为空" in result.output
    assert "第5行：问题与第2行重复" in result.output
    assert entries(db_session) == []
    assert db_session.get(FaqVersion, 1) is None


def test_missing_column_and_wrong_type_fail(runner, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("问题,分类\n什么,类\n", encoding="utf-8")
    result = runner.invoke(args=["faq", "import", str(path)])
    assert result.exit_code != 0 and "缺少列" in result.output
    other = tmp_path / "x.txt"
    other.write_text("q", encoding="utf-8")
    assert runner.invoke(args=["faq", "import", str(other)]).exit_code != 0


def test_gbk_csv_from_excel(runner, db_session, tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("问题,答案\n违建要拆吗？,依法处置\n".encode("gbk"))
    assert runner.invoke(args=["faq", "import", str(path)]).exit_code == 0
    assert [e.question for e in entries(db_session)] == ["违建要拆吗？"]


def test_export_then_import_round_trip(runner, db_session, faq_sample, tmp_path):
    for name, chinese in (("out.xlsx", []), ("out.csv", ["--chinese"])):
        path = tmp_path / name
        result = runner.invoke(args=["faq", "export", str(path), *chinese])
        assert result.exit_code == 0, result.output
        assert runner.invoke(args=["faq", "import", str(path)]).exit_code == 0
    assert len(entries(db_session)) == len(faq_sample)
    sheet = load_workbook(tmp_path / "out.xlsx").active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["id", "question", "alternatives", "answer"]
    assert (tmp_path / "out.csv").read_text(encoding="utf-8-sig").startswith("编号,问题,相似问法,答案,分类")


def test_a_communitys_first_import_retires_the_untouched_sample_entries(runner, db_session, tmp_path):
    """Another city's numbering must not overwrite sample entries, and sample text must not
    answer residents beside the community's own; an edited sample entry is the community's."""
    from handlers.faq import demo

    demo.load(session=db_session)
    db_session.commit()
    samples = entries(db_session)
    edited = samples[5]
    db_session.add(edited)
    edited.updated_by = "admin"
    db_session.commit()
    path = tmp_path / "city.csv"
    path.write_text("编号,问题,答案\n1,楼道灯坏了找谁？,请拨打社区电话0311-8000001\n"
                    "2,小区停车位怎么分配？,由业主大会商定后公示\n", encoding="utf-8")
    result = runner.invoke(args=["faq", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert f"已停用 {len(samples) - 1} 条示例问答" in result.output
    db_session.expire_all()
    rows = entries(db_session)
    active = {e.question for e in rows if e.active}
    assert active == {"楼道灯坏了找谁？", "小区停车位怎么分配？", edited.question}
    assert {e.question for e in rows} >= {s.question for s in samples}  # retired, not deleted
    assert result.output.count("新增 2 条")
    again = runner.invoke(args=["faq", "import", str(path)])
    assert "更新 2 条" in again.output and "示例" not in again.output


REPORT_FAQ = ("问题,相似问法,答案\n"
              "物业费怎么交？,,物业费每季度在物业服务中心缴纳，也可以在微信上缴。\n"
              "物业费如何缴纳？,,物业费可以到社区服务站缴纳，每年一次。\n"
              "加装电梯有补贴吗？,装电梯补多少钱|电梯补助,每部电梯补助20万元，由街道统一申报。\n"
              "停车,,业主决定\n")


def test_import_reports_competing_and_thin_entries(runner, db_session, tmp_path):
    path = tmp_path / "faq.csv"
    path.write_text(REPORT_FAQ, encoding="utf-8")
    result = runner.invoke(args=["faq", "import", str(path)])
    assert result.exit_code == 0, result.output
    ids = {e.question: e.id for e in entries(db_session)}
    assert "检查了 4 / 4 条问答" in result.output
    competing, thin = result.output.split("分不开的问答")[1].split("内容太少")
    assert f"#{ids['物业费怎么交？']} 物业费怎么交？ —— 与之互相混淆： #{ids['物业费如何缴纳？']}" in competing \
        or f"#{ids['物业费如何缴纳？']} 物业费如何缴纳？ —— 与之互相混淆： #{ids['物业费怎么交？']}" in competing
    assert "加装电梯" not in competing
    assert f"#{ids['停车']} 停车 —— 没有相似问法、问题太短、答案太短" in thin
    assert "物业费怎么交" not in thin  # no alternatives, but enough words to match


def test_import_answers_the_open_questions_it_now_answers(runner, db_session, tmp_path):
    from models import Resident, UnansweredQuestion
    from handlers.faq import service
    from models.base import utcnow

    db_session.add(Resident(openid="oImportAsker00000000000000001", last_interaction_at=utcnow()))
    row = service.log_unanswered("加装电梯政府给补贴不", openid="oImportAsker00000000000000001", community_id=None,
                                 candidates=[], now=utcnow(), session=db_session)
    db_session.commit()
    path = tmp_path / "faq.csv"
    path.write_text(REPORT_FAQ, encoding="utf-8")
    result = runner.invoke(args=["faq", "import", str(path)])
    assert "现在能回答 1 个未答问题" in result.output, result.output
    db_session.expire_all()
    assert db_session.get(UnansweredQuestion, row.id).status == "matched"
    db_session.commit()
