"""An owners' decision as people meet it: chat and H5 refuse tenants, family and outsiders with a reason,
owners answer on H5, the console shows the live figures and who has not voted, and no ID number leaks."""
import io
import logging
import re

from openpyxl import load_workbook

from sqlmodel import select

from models import AuditLog
from models.surveys import Ballot
from surveys import links
from tests.fixtures.complaints import jpeg_with_metadata
from tests.fixtures.console import csrf_token, login
from tests.fixtures.owners import STAIRWELL, assert_no_clear_id, flat, paper, publish


def say(wechat, openid, text):
    status, reply = wechat.text(openid, text)
    assert status == 200
    return reply["Content"]


def cells_of(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row)


def h5_link(app, resident, run_id, clock):
    token = links.make_token(app.config["LINLI"]["app"]["secret_key"], resident_id=resident.id, run_id=run_id,
                             now_s=clock.now)
    return f"/h5/surveys/{run_id}?t={token}", token


def test_chat_offers_the_decision_to_owners_in_scope_only(wechat, runner, db_session, stairwell, bind_resident):
    publish(runner, stairwell.id, "--scope", "3号楼/2单元", "--rule", "owners_special")
    bind_resident(flat(db_session, "3号楼", "2", "101"), "o-owner")
    bind_resident(flat(db_session, "3号楼", "2", "301"), "o-owner-3")
    bind_resident(flat(db_session, "3号楼", "2", "201"), "o-tenant", role="tenant")
    bind_resident(flat(db_session, "3号楼", "2", "301"), "o-family", role="family")
    bind_resident(flat(db_session, "4号楼", "1", "101"), "o-outside")
    db_session.rollback()
    ground = say(wechat, "o-owner", "投票")
    assert "第1题" in ground and "您家1楼，预计分摊约 0 元" in ground  # the ground floor is exempt
    assert "您家3楼，预计分摊约 94118 元" in say(wechat, "o-owner-3", "投票")  # 600,000 × 0.8 / 5.1
    for openid in ("o-tenant", "o-family"):
        reply = say(wechat, openid, "投票")
        assert "只有经社区核实的产权人（业主）可以投票" in reply and "租户和家庭成员不能投票" in reply
    assert "仅限3号楼2单元的业主参与" in say(wechat, "o-outside", "投票")


def test_owners_answer_on_h5_and_the_console_shows_live_figures(app, client, runner, db_session, stairwell,
                                                                bind_resident, staff_user, clock, render, caplog):
    caplog.set_level(logging.DEBUG)
    run_id = publish(runner, stairwell.id, "--scope", "3号楼/2单元", "--rule", "owners_majority")
    owner = bind_resident(flat(db_session, "3号楼", "2", "101"), "o-owner")
    tenant = bind_resident(flat(db_session, "3号楼", "2", "201"), "o-tenant", role="tenant")
    paper(db_session, clock, render, run_id, flat(db_session, "3号楼", "2", "501"), "no")

    refused = client.get(h5_link(app, tenant, run_id, clock)[0])
    assert refused.status_code == 403 and "租户和家庭成员不能投票" in refused.get_data(as_text=True)
    url, token = h5_link(app, owner, run_id, clock)
    html = client.get(url).get_data(as_text=True)
    assert "您家1楼，预计分摊约 0 元" in html
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    done = client.post(f"/h5/surveys/{run_id}", data={"csrf_token": csrf, "t": token, "agree": "yes"})
    assert done.status_code == 200 and "提交成功" in done.get_data(as_text=True)
    assert db_session.exec(select(Ballot.channel).where(Ballot.run_id == run_id)).all().count("h5") == 1
    db_session.rollback()

    login(client, staff_user("worker", ["业主小区"]))
    page = client.get(f"/console/surveys/runs/{run_id}").get_data(as_text=True)
    # 2 of 6 owners took part (A with 135.75 m², D with 88.88 m²): 2 more owners and 171.86 m² to reach 2/3.
    assert "业主过半数同意（双过半）" in page and "3号楼2单元" in page
    visible = re.sub(r"<[^>]+>", " ", page)
    assert "owners_" not in visible and "developer" not in visible and "flat:" not in visible  # no codes
    assert re.search(r'id="owners-voted">2 人', page) and re.search(r'id="area-voted">224.63 平方米', page)
    assert "还需 2 位业主" in page and "还需 171.86 平方米" in page
    assert "参与还需 2 位业主或 171.86 平方米" in page
    assert "丙**" in page and "丙老三" not in page  # the vacant flat's owner, masked, on the 4th floor
    assert "4层" in page and "甲**" not in page  # owner A voted (for both their flats)
    pages = [page]
    for path in (f"/console/surveys/runs/{run_id}/report", f"/console/surveys/runs/{run_id}/not-answered",
                 f"/console/surveys/runs/{run_id}/export.xlsx", f"/console/surveys/runs/{run_id}/paper",
                 f"/console/surveys/runs/{run_id}/evidence.xlsx",
                 "/console/households"):
        response = client.get(path)
        assert response.status_code == 200, path
        pages.append(response.get_data(as_text=True) if path[-4:] != "xlsx" else cells_of(response.data))
    assert "表决未通过" in pages[1] and "双过半" in pages[1]  # the printable report's conclusion
    overview = client.get("/console/surveys/").get_data(as_text=True)
    assert "业主共同决定，按面积和人数计" in overview
    assert_no_clear_id(db_session, caplog.text, overview, *pages)
    book = load_workbook(io.BytesIO(client.get(f"/console/surveys/runs/{run_id}/evidence.xlsx").data))
    decision = dict(book["决定"].iter_rows(min_row=2, values_only=True))
    assert (decision["表决范围"], decision["范围内业主（人）"], decision["参与表决面积（平方米）"]) == \
        ("3号楼2单元", 6, 224.63)
    assert decision["表决结果"] == "未通过" and "不构成法律意见" in decision["说明"]
    owners_rows = list(book["业主"].iter_rows(min_row=2, values_only=True))
    assert len(owners_rows) == 8 and {r[4] for r in owners_rows} >= {"甲**", "丙**", "开发商（未售）"}
    heads = {r[2]: r[6] for r in owners_rows}
    assert heads["101"] == heads["201"] and heads["102"] == heads["202"] and len(set(heads.values())) == 6
    ballots_rows = {r[2]: r for r in book["表决票"].iter_rows(min_row=2, values_only=True)}
    assert ballots_rows["501"][3] == "纸质" and "签字纸质表决票照片" in ballots_rows["501"][8]
    assert ballots_rows["101"][3] == "网页" and ballots_rows["101"][7] == "是"
    assert len(list(book["修改记录"].iter_rows(min_row=2))) == 2
    assert len(STAIRWELL) == 8


def test_a_family_member_votes_with_an_approved_authorisation(app, client, runner, db_session, stairwell,
                                                              bind_resident, staff_user, clock):
    run_id = publish(runner, stairwell.id, "--scope", "3号楼/2单元", "--rule", "owners_special")
    household = flat(db_session, "3号楼", "2", "301")
    son = bind_resident(household, "o-son", role="family")
    tenant = bind_resident(flat(db_session, "3号楼", "2", "201"), "o-tenant", role="tenant")
    refused = client.get(h5_link(app, son, run_id, clock)[0])
    assert refused.status_code == 403 and "委托书" in refused.get_data(as_text=True)

    login(client, staff_user("worker", ["业主小区"]))
    page = client.get(f"/console/surveys/runs/{run_id}").get_data(as_text=True)
    assert f'value="{household.id}-{son.id}"' in page and f"-{tenant.id}\"" not in page  # family only
    letter = (io.BytesIO(jpeg_with_metadata()), "委托书.jpg", "image/jpeg")
    response = client.post(f"/console/surveys/runs/{run_id}/proxies", data={
        "csrf_token": csrf_token(client, f"/console/surveys/runs/{run_id}"), "proxy": f"{household.id}-{son.id}",
        "letter": letter}, content_type="multipart/form-data")
    assert response.status_code == 302
    assert "委托已登记" in client.get(response.headers["Location"]).get_data(as_text=True)

    url, token = h5_link(app, son, run_id, clock)
    html = client.get(url).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    done = client.post(f"/h5/surveys/{run_id}", data={"csrf_token": csrf, "t": token, "agree": "yes"})
    assert "提交成功" in done.get_data(as_text=True)
    book = load_workbook(io.BytesIO(client.get(f"/console/surveys/runs/{run_id}/evidence.xlsx").data))
    proof = {r[2]: r[8] for r in book["表决票"].iter_rows(min_row=2, values_only=True)}["301"]
    assert "家庭成员持委托书代为投票" in proof and "核准" in proof


def test_an_unused_authorisation_can_be_withdrawn_and_a_used_one_cannot(app, client, runner, db_session, stairwell,
                                                                        bind_resident, staff_user, clock):
    run_id = publish(runner, stairwell.id, "--scope", "3号楼/2单元", "--rule", "owners_special")
    household = flat(db_session, "3号楼", "2", "301")
    son = bind_resident(household, "o-son", role="family")
    login(client, staff_user("worker", ["业主小区"]))
    page_url = f"/console/surveys/runs/{run_id}"

    def grant():
        letter = (io.BytesIO(jpeg_with_metadata()), "委托书.jpg", "image/jpeg")
        return client.post(f"{page_url}/proxies", data={"csrf_token": csrf_token(client, page_url),
                                                         "proxy": f"{household.id}-{son.id}", "letter": letter},
                           content_type="multipart/form-data")

    def revoke():
        response = client.post(f"{page_url}/proxies/revoke", data={"csrf_token": csrf_token(client, page_url),
                                                                    "proxy": f"{household.id}-{son.id}"})
        return client.get(response.headers["Location"]).get_data(as_text=True)

    grant()
    assert f'data-revoke="{household.id}-{son.id}"' in client.get(page_url).get_data(as_text=True)
    assert "委托已撤销" in revoke()
    assert client.get(h5_link(app, son, run_id, clock)[0]).status_code == 403  # no longer holds it
    db_session.expire_all()
    assert db_session.exec(select(AuditLog.action).where(AuditLog.action == "survey.proxy.revoke")).all()

    grant()
    url, token = h5_link(app, son, run_id, clock)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)
    assert "提交成功" in client.post(f"/h5/surveys/{run_id}", data={"csrf_token": csrf, "t": token,
                                                                   "agree": "yes"}).get_data(as_text=True)
    assert "委托不能撤销" in revoke()
