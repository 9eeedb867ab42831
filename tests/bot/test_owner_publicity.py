"""Publicity of an owners' decision: its rule's figures, told to the owners in scope only, objections by owners only.

Chat goes through the real /wechat endpoint; the H5 page and the console through the app's client."""
from dataclasses import dataclass

import pytest
from sqlmodel import select

from models import OutboundMessage, Resident, SurveyRun
from models.publicity import Objection, Publicity
from surveys import publicity_links, runs
from surveys.stats import owners as owner_stats
from tests.fixtures.console import login
from tests.fixtures.owners import at, flat, paper, publish, vote


@dataclass
class Decided:
    run_id: int
    publicity_id: int


def say(wechat, openid, text):
    status, reply = wechat.text(openid, text)
    assert status == 200
    return reply["Content"] if isinstance(reply, dict) else str(reply)


@pytest.fixture
def decided(runner, db_session, stairwell, bind_resident, clock, render, run_job):
    """3号楼2单元 decides by 双过半: owners of 101/201 and 301 vote yes, 501 no on paper; closed and published."""
    run_id = publish(runner, stairwell.id, "--scope", "3号楼/2单元", "--rule", "owners_majority")
    owner_a = bind_resident(flat(db_session, "3号楼", "2", "101"), "o-own-a")
    owner_b = bind_resident(flat(db_session, "3号楼", "2", "301"), "o-own-b")
    bind_resident(flat(db_session, "3号楼", "2", "501"), "o-own-d")
    bind_resident(flat(db_session, "3号楼", "2", "201"), "o-tenant", role="tenant")
    bind_resident(flat(db_session, "3号楼", "2", "301"), "o-family", role="family")
    bind_resident(flat(db_session, "3号楼", "1", "101"), "o-other-unit")
    bind_resident(flat(db_session, "4号楼", "1", "101"), "o-other-building")
    vote(db_session, clock, render, run_id, owner_a, "yes")
    vote(db_session, clock, render, run_id, owner_b, "yes")
    paper(db_session, clock, render, run_id, flat(db_session, "3号楼", "2", "501"), "no")
    runs.close(run_id, session=db_session, now=at(clock), actor="test")
    assert run_job("surveys.publicity") == "published 1, finished 0"
    assert run_job("surveys.publicity") == "published 0, finished 0"
    publicity_id = db_session.exec(select(Publicity.id).where(Publicity.run_id == run_id)).one()
    db_session.rollback()
    return Decided(run_id, publicity_id)


def test_published_once_with_the_rules_figures_to_the_owners_in_scope(decided, db_session):
    p = db_session.get(Publicity, decided.publicity_id)
    s = p.figures["summary"]
    # 6 heads (A's two flats one head, 102+202 the developer one head), 594.73 m²; A, B, D voted; A, B yes.
    assert (s["rule"], s["scope_words"], s["owners_total"], s["area_total"]) == ("owners_majority", "3号楼2单元",
                                                                                6, 594.73)
    assert (s["owners_voted"], s["area_voted"], s["owners_yes"], s["area_yes"]) == (3, 304.63, 2, 215.75)
    assert (s["participation_passed"], s["passed"], p.figures["buildings"]) == (False, False, [])
    live = owner_stats.figures(db_session.get(SurveyRun, decided.run_id), session=db_session)
    assert all(s[k] == live[k] for k in ("owners_total", "area_total", "owners_voted", "area_voted", "owners_yes",
                                         "area_yes", "participation_passed", "passed", "rule_label"))
    rows = db_session.exec(select(OutboundMessage).where(OutboundMessage.kind == "publicity")).all()
    assert sorted(r.openid for r in rows) == ["o-own-a", "o-own-b", "o-own-d"] and p.notified == 3
    assert all(r.dedup_key.startswith(f"publicity:{decided.run_id}:") for r in rows)
    text = rows[0].payload["text"]
    assert "3号楼2单元业主共同决定" in text and "双过半" in text and "业主共 6 人、594.73 平方米" in text
    assert "参与表决 3 人、304.63 平方米" in text and "同意 2 人、215.75 平方米" in text and "表决未通过" in text
    assert "应参与" not in text and " 户" not in text


def test_chat_shows_the_rules_figures_and_an_owner_objects(wechat, decided, db_session):
    shown = say(wechat, "o-own-b", "公示")
    assert "业主共 6 人" in shown and "表决未通过" in shown and "应参与" not in shown
    assert "业主共 6 人" in say(wechat, "o-own-b", "调查结果")
    assert "有何异议" in say(wechat, "o-own-a", "异议")
    assert "异议已记录" in say(wechat, "o-own-a", "我家两套房的面积应该一起算")
    row = db_session.exec(select(Objection)).one()
    assert (row.publicity_id, row.household_id) == (decided.publicity_id, flat(db_session, "3号楼", "2", "101").id)


def test_tenant_and_family_in_the_stairwell_are_refused(wechat, decided, db_session):
    for openid in ("o-tenant", "o-family"):
        reply = say(wechat, openid, "异议")
        assert "只有3号楼2单元经社区核实的产权人（业主）可以提出异议" in reply and "租户和家庭成员不能" in reply
        say(wechat, openid, "我不同意这个结果")
    assert "目前没有您家可以提出异议的公示" in say(wechat, "o-other-unit", "异议")
    assert db_session.exec(select(Objection)).all() == []


def test_h5_page_shows_the_rule_and_refuses_the_tenant(app, client, decided, db_session):
    p = db_session.get(Publicity, decided.publicity_id)
    settings = app.config["LINLI"]["app"]
    tenant_id, owner_id = (r.id for r in _residents(db_session, "o-tenant", "o-own-a"))
    owner_url = publicity_links.page_url(settings, resident_id=owner_id, publicity=p, now=p.published_at)
    tenant_url = publicity_links.page_url(settings, resident_id=tenant_id, publicity=p, now=p.published_at)
    db_session.rollback()
    html = client.get(owner_url[owner_url.index("/h5/"):]).get_data(as_text=True)
    assert "业主过半数同意（双过半）" in html and "594.73" in html and "表决未通过" in html and 'id="objection"' in html
    assert "应参与户数" not in html
    refused = client.get(tenant_url[tenant_url.index("/h5/"):]).get_data(as_text=True)
    assert "租户和家庭成员不能提出异议" in refused and 'id="objection"' not in refused


def test_console_page_and_printed_record_show_the_rules_figures(client, decided, staff_user):
    login(client, staff_user("worker", ["业主小区"]))
    detail = client.get(f"/console/publicity/{decided.publicity_id}").get_data(as_text=True)
    assert "业主过半数同意（双过半）" in detail and "594.73" in detail and "304.63" in detail
    assert "应参与户数" not in detail
    record = client.get(f"/console/surveys/runs/{decided.run_id}/report").get_data(as_text=True)
    assert "公示的表决结果" in record and "已通知业主 3 人" in record and "215.75" in record


def _residents(db_session, *openids):
    by_openid = {r.openid: r for r in db_session.exec(select(Resident).where(Resident.openid.in_(openids)))}
    return [by_openid[o] for o in openids]
