"""Console: published results, answering an objection (once, in scope), the printed report's objection record."""
from sqlmodel import select

from models import AuditLog, OutboundMessage
from models.publicity import Objection, Publicity
from surveys import objections
from tests.fixtures.console import csrf_token, login


def objection_of(db_session, made, index=3, text="我家投了票但没算上"):
    p = db_session.get(Publicity, made.publicity_id)
    row = objections.raise_objection(p.id, made.residents[index].id, text, session=db_session, now=p.published_at)
    db_session.commit()
    return row


def test_worker_answers_an_objection_once_and_it_goes_to_the_resident(client, published_run, staff_user,
                                                                       db_session):
    made = published_run()
    row = objection_of(db_session, made)
    login(client, staff_user("worker", communities=["测试小区"]))
    listing = client.get("/console/publicity").get_data(as_text=True)
    assert "测试改造意愿征询" in listing and "公示中" in listing
    detail = client.get(f"/console/publicity/{made.publicity_id}").get_data(as_text=True)
    assert "我家投了票但没算上" in detail and "1号楼" in detail and "发送答复" in detail and "应参与户数" in detail
    token = csrf_token(client, "/console/")
    resp = client.post(f"/console/objections/{row.id}/answer", data={"csrf_token": token, "answer": "已核实，补记。"})
    assert resp.status_code == 302
    again = client.post(f"/console/objections/{row.id}/answer", data={"csrf_token": token, "answer": "再答一次"},
                        follow_redirects=True)
    assert "该异议已答复" in again.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Objection, row.id).answer == "已核实，补记。"
    sent = db_session.exec(select(OutboundMessage).where(OutboundMessage.dedup_key == f"objection.answer:{row.id}")).all()
    assert [m.openid for m in sent] == [made.residents[3].openid] and "已核实，补记。" in sent[0].payload["text"]
    assert db_session.exec(select(AuditLog).where(AuditLog.action == "survey.objection.answer")).one()


def test_a_worker_of_another_community_cannot_see_or_answer(client, published_run, staff_user, db_session):
    made = published_run()
    row = objection_of(db_session, made)
    login(client, staff_user("worker", communities=["别的小区"]))
    assert client.get(f"/console/publicity/{made.publicity_id}").status_code == 404
    assert "测试改造意愿征询" not in client.get("/console/publicity").get_data(as_text=True)
    resp = client.post(f"/console/objections/{row.id}/answer",
                       data={"csrf_token": csrf_token(client, "/console/"), "answer": "越权"})
    assert resp.status_code == 404
    assert db_session.get(Objection, row.id).answered_at is None


def test_printed_report_carries_the_objection_record(client, published_run, staff_user, db_session, render):
    made = published_run()
    row = objection_of(db_session, made, text="2号楼没有人上门")
    objections.answer(row.id, "已安排补充入户。", session=db_session, now=row.created_at, actor="w", render=render)
    db_session.commit()
    login(client, staff_user("worker", communities=["测试小区"]))
    html = client.get(f"/console/surveys/runs/{made.run.id}/report").get_data(as_text=True)
    assert "结果公示与异议记录" in html and "收到异议 1 条，已答复 1 条" in html
    assert "2号楼没有人上门" in html and "已安排补充入户。" in html
