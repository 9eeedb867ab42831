"""The console's notices page: a worker writes to their communities only; the list shows delivery figures."""
from __future__ import annotations

from sqlmodel import select

from models import AuditLog, Notice, OutboundMessage
from tests.fixtures.console import community_named, csrf_token, login
from tests.fixtures.notices import bound


def post(client, **data):
    return client.post("/console/notices", data={"csrf_token": csrf_token(client, "/console/notices"), **data})


def test_a_worker_writes_to_a_stairwell_of_their_community_and_cannot_reach_another(
        client, db_session, roster, staff_user):
    other = community_named(db_session, "和平里小区")
    db_session.commit()
    bound(db_session, "oA", "1号楼", "2", "102")
    bound(db_session, "oB", "1号楼", "1", "101")
    login(client, staff_user("worker", communities=["幸福里小区"]))
    html = client.get("/console/notices").get_data(as_text=True)
    assert f'value="{roster.id}|1号楼/2单元"' in html and "和平里小区" not in html and "通知公告" in html
    resp = post(client, scope=f"{roster.id}|1号楼/2单元", kind="施工", title="电梯施工", body="下周一起施工。")
    assert resp.status_code == 302
    assert db_session.exec(select(OutboundMessage.openid)).all() == ["oA"]
    assert post(client, scope=f"{other.id}|全小区", title="x", body="y").status_code == 404
    bad = post(client, scope=f"{roster.id}|9号楼", title="停电", body="检修")
    assert bad.status_code == 400 and "没有这栋楼" in bad.get_data(as_text=True)
    assert post(client, scope=f"{roster.id}|全小区", title="", body="y").status_code == 400
    db_session.expire_all()
    assert [n.title for n in db_session.exec(select(Notice)).all()] == ["电梯施工"]
    assert db_session.exec(select(AuditLog.action).where(AuditLog.action == "notice.create")).all() == [
        "notice.create"]
    page = client.get("/console/notices").get_data(as_text=True)
    assert "电梯施工" in page and "1号楼/2单元" in page and '<td class="recipients">1</td>' in page


def test_a_scheduled_notice_waits_for_its_time(client, db_session, roster, staff_user, clock, run_job):
    bound(db_session, "oA", "2号楼", "1", "101")
    login(client, staff_user("admin"))
    resp = post(client, scope=f"{roster.id}|2号楼", title="业主大会", body="周六开会。", send_at="2099-01-01T09:00")
    assert resp.status_code == 302
    assert db_session.exec(select(OutboundMessage)).all() == []
    assert "待发送" in client.get("/console/notices").get_data(as_text=True)
    clock.now = 4070908800.0 + 3600  # 2099-01-01 02:00 UTC = 10:00 in Beijing
    run_job("notices.send")
    run_job("notices.send")
    assert db_session.exec(select(OutboundMessage.openid)).all() == ["oA"]
    assert db_session.exec(select(Notice.status)).all() == ["sent"]


def test_an_admin_picks_the_community_whose_buildings_the_form_offers(client, db_session, roster, staff_user):
    other = community_named(db_session, "和平里小区")
    db_session.commit()
    login(client, staff_user("admin"))
    first = client.get("/console/notices").get_data(as_text=True)
    assert (f'value="{roster.id}|全小区"' in first) != (f'value="{other.id}|全小区"' in first)  # one community's
    picked = client.get(f"/console/notices?community={roster.id}").get_data(as_text=True)
    assert f'value="{roster.id}|1号楼/2单元"' in picked and f'value="{other.id}|全小区"' not in picked
    assert f'value="{other.id}|全小区"' in client.get(f"/console/notices?community={other.id}").get_data(as_text=True)
