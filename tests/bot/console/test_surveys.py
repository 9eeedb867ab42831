"""Console survey pages: templates, publishing, figures, exports, paper ballots, privacy."""
import io
import json
from datetime import datetime, timezone

from openpyxl import load_workbook
from sqlmodel import select

from models.surveys import Ballot, SurveyRun
from surveys import ballots
from tests.fixtures.console import csrf_token, login
from tests.fixtures.surveys import sample_definition

SAMPLE_REASON_CONDITION = sample_definition()["questions"][2]["show_if"]

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def now(clock):
    return datetime.fromtimestamp(clock.now, timezone.utc)


def test_admin_imports_and_publishes(client, db_session, staff_user, seed_community):
    seeded = seed_community("控制台小区")
    login(client, staff_user("admin"))
    token = csrf_token(client, "/console/surveys/templates")
    bad = client.post("/console/surveys/templates", data={"csrf_token": token, "json": '{"code": "x"}'},
                      follow_redirects=True)
    assert "缺少标题" in bad.get_data(as_text=True)
    resp = client.post("/console/surveys/templates",
                       data={"csrf_token": token, "json": json.dumps(sample_definition(), ensure_ascii=False)})
    assert resp.status_code == 302
    template_id = int(resp.headers["Location"].rstrip("/").split("/")[-1])
    resp = client.post(f"/console/surveys/templates/{template_id}/publish",
                       data={"csrf_token": token, "community_id": seeded.community.id, "closes": "2030-01-01T08:00"})
    assert resp.status_code == 302
    run = db_session.exec(select(SurveyRun)).one()
    assert run.eligible_count == 9 and run.excluded_count == 2
    db_session.rollback()  # SQLite: end the read before the app writes
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "应参与户" in page and 'id="eligible">9<' in page
    exported = client.get(f"/console/surveys/templates/{template_id}/export.json")
    assert exported.get_json()["code"] == "test-willingness"


def test_worker_sees_figures_exports_and_enters_paper_ballot(client, db_session, staff_user, seed_community,
                                                             bind_resident, publish_run, clock, render):
    seeded = seed_community("控制台小区")
    run = publish_run(seeded.community)
    voter = bind_resident(seeded.households[0], "o-console")
    ballots.cast_by_resident(run.id, voter.id, {"agree": "no", "reason": "cost", "comment": "担心出资太多，希望政府多补贴"},
                             channel="wechat", session=db_session, now=now(clock), render=render)
    db_session.commit()
    login(client, staff_user("worker", communities=["控制台小区"]))

    page = client.get(f"/console/surveys/runs/{run.id}").get_data(as_text=True)
    assert "门槛" in page and "<svg" in page and "担心出资太多" in page
    report = client.get(f"/console/surveys/runs/{run.id}/report").get_data(as_text=True)
    assert "结果报告" in report and "盖章" in report and "未达到" in report
    listing = client.get(f"/console/surveys/runs/{run.id}/not-answered").get_data(as_text=True)
    assert "住户1号楼1" not in listing and "住*" in listing and "138****0001" in listing

    token = csrf_token(client, f"/console/surveys/runs/{run.id}/paper")
    second = seeded.households[1]
    resp = client.post(f"/console/surveys/runs/{run.id}/paper",
                       data={"csrf_token": token, "household_id": second.id, "agree": "yes",
                             "sheet": (io.BytesIO(PNG), "sheet.png", "image/png")},
                       content_type="multipart/form-data")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:400]
    paper = db_session.exec(select(Ballot).where(Ballot.household_id == second.id)).one()
    assert paper.channel == "paper" and paper.photo_key.startswith(f"surveys/{run.id}/") and paper.entered_by
    db_session.rollback()
    assert "查看签字答卷" in client.get(f"/console/surveys/runs/{run.id}/paper").get_data(as_text=True)
    assert client.get(f"/console/surveys/ballots/{paper.id}/sheet").data == PNG

    xlsx = client.get(f"/console/surveys/runs/{run.id}/export.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data))["答卷"]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["楼栋", "单元", "房号", "户主", "渠道", "版本"] and "agree" in header and "comment" in header
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == 2 and {r[4] for r in rows} == {"公众号", "纸质"}
    assert all(r[3].endswith("*") for r in rows)


def test_worker_cannot_see_other_communities(client, staff_user, seed_community, publish_run):
    run = publish_run(seed_community("别的小区").community)
    login(client, staff_user("worker", communities=["控制台小区"]))
    assert client.get(f"/console/surveys/runs/{run.id}").status_code == 404
    assert "别的小区" not in client.get("/console/surveys/").get_data(as_text=True)
    assert client.get("/console/surveys/templates").status_code == 403


def test_version_wording_fix_is_audited_and_structure_refused(client, db_session, staff_user, seed_community,
                                                              bind_resident, publish_run, clock, render):
    from models import AuditLog
    seeded = seed_community("控制台小区")
    run = publish_run(seeded.community)
    voter = bind_resident(seeded.households[0], "o-version")
    ballots.cast_by_resident(run.id, voter.id, {"agree": "yes"}, channel="h5", session=db_session, now=now(clock),
                             render=render)
    db_session.commit()
    login(client, staff_user("admin"))
    token = csrf_token(client, f"/console/surveys/versions/{run.version_id}")
    reworded = sample_definition()
    reworded["questions"][1]["title"] = "您是否同意纳入改造计划？"
    page = client.post(f"/console/surveys/versions/{run.version_id}", follow_redirects=True,
                       data={"csrf_token": token, "json": json.dumps(reworded, ensure_ascii=False)})
    assert "已保存版本的文字修改" in page.get_data(as_text=True)
    reworded["questions"].pop()
    page = client.post(f"/console/surveys/versions/{run.version_id}", follow_redirects=True,
                       data={"csrf_token": token, "json": json.dumps(reworded, ensure_ascii=False)})
    assert "新版本" in page.get_data(as_text=True)
    actions = db_session.exec(select(AuditLog.action).where(AuditLog.action == "survey.version.edit")).all()
    assert len(actions) == 1
    db_session.rollback()


def test_admin_makes_results_visible_while_open(client, db_session, staff_user, seed_community, publish_run):
    run = publish_run(seed_community("控制台小区").community)
    login(client, staff_user("admin"))
    page = client.get("/console/surveys/templates").get_data(as_text=True)
    assert "<title>问卷模板 · 邻里</title>" in page and page.count("<h2>新建问卷</h2>") == 1
    token = csrf_token(client, f"/console/surveys/runs/{run.id}")
    resp = client.post(f"/console/surveys/runs/{run.id}/settings", data={"csrf_token": token, "results_visible": "always"})
    assert resp.status_code == 302
    db_session.expire_all()
    assert db_session.get(SurveyRun, run.id).results_visible == "always"
    db_session.rollback()


def test_builder_adds_questions_with_conditions_and_refuses_bad_ones(client, db_session, staff_user):
    from models.surveys import SurveyTemplate
    from surveys import templates
    base = sample_definition()
    base["questions"] = base["questions"][:2]
    template = templates.import_definition(base, session=db_session)
    db_session.commit()
    login(client, staff_user("admin"))
    token = csrf_token(client, f"/console/surveys/templates/{template.id}")
    url = f"/console/surveys/templates/{template.id}/questions"
    either = {"all": [{"question": "agree", "op": "in", "value": ["yes", "abstain"]}]}
    client.post(url, data={"csrf_token": token, "type": "ranking", "title": "点菜", "required": "on",
                           "options": "管网|基础类\n电梯|完善类", "max_choices": "2", "condition": json.dumps(either)})
    page = client.post(url, data={"csrf_token": token, "type": "short_text", "title": "t",
                                  "condition": json.dumps({"question": "nowhere", "op": "answered"})},
                       follow_redirects=True).get_data(as_text=True)
    assert "不在它之前的题目 nowhere" in page
    db_session.expire_all()
    menu = db_session.get(SurveyTemplate, template.id).draft["questions"][-1]
    assert menu["code"] == "dian_cai" and menu["max_choices"] == 2
    assert menu["options"][1] == {"code": "dian_ti", "label": "电梯", "group": "完善类"}
    assert menu["show_if"] == either
    db_session.rollback()


def test_builder_keeps_codes_through_edits_once_answered(client, db_session, staff_user, seed_community,
                                                         publish_run, bind_resident, clock):
    """Wording and options change in the editor; the codes ballots and exports join on do not."""
    from models.surveys import SurveyTemplate
    seeded = seed_community("改字小区")
    run = publish_run(seeded.community)
    resident = bind_resident(seeded.households[0], "o-edit")
    ballots.cast_by_resident(run.id, resident.id, {"agree": "no", "reason": "noise"}, channel="wechat",
                             session=db_session, now=now(clock), render=lambda t, **v: "")
    db_session.commit()
    login(client, staff_user("admin"))
    token = csrf_token(client, f"/console/surveys/templates/{run.template_id}")
    client.post(f"/console/surveys/templates/{run.template_id}/questions/reason",
                data={"csrf_token": token, "title": "您不同意的主要原因？", "required": "on",
                      "options": "担心个人出资\n担心施工扰民\n其他\n房屋将出售", "condition": "keep"})
    client.post(f"/console/surveys/templates/{run.template_id}/questions/agree",
                data={"csrf_token": token, "title": "是否同意改造？", "required": "on", "gate": "on",
                      "options": "同意\n不同意\n弃权", "gate_labels": "同意"})
    db_session.expire_all()
    draft = db_session.get(SurveyTemplate, run.template_id).draft
    reason = draft["questions"][2]
    assert reason["title"] == "您不同意的主要原因？" and reason["show_if"] == SAMPLE_REASON_CONDITION
    assert [o["code"] for o in reason["options"]] == ["cost", "noise", "other", "fang_wu_jiang_chu"]
    assert [o["code"] for o in draft["questions"][1]["options"]] == ["yes", "no", "abstain"]
    assert draft["gate"] == {"question": "agree", "options": ["yes"]}
    db_session.rollback()
