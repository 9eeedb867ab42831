"""Console FAQ pages: list, search, try a question, editor, unanswered queue, articles, import/export."""
from __future__ import annotations

import io

from sqlmodel import select

from bot import runtime
from bot.devtools.wechat_client import reply_text
from handlers.faq import service
from handlers.faq.cache import cache_for
from models import AuditLog, FaqEntry, PolicyArticle, UnansweredQuestion
from models.base import utcnow
from tests.fixtures.console import csrf_token, login

OPENID = "oFaqConsoleResident000000001"


def post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/console/faq/"), **data})


def test_worker_reads_and_tries_a_question_but_cannot_edit(client, staff_user, faq_sample):
    login(client, staff_user("worker"))
    html = client.get("/console/faq/?try=装电梯政府给补贴不").get_data(as_text=True)
    assert "直接回答" in html and "加装电梯有补贴吗？" in html
    entry = faq_sample["加装电梯有补贴吗？"]
    assert client.get(f"/console/faq/{entry.id}").status_code == 200
    assert post(client, f"/console/faq/{entry.id}", question="x", answer="y").status_code == 403


def test_search_finds_alternatives(client, staff_user, faq_sample):
    login(client, staff_user("admin"))
    html = client.get("/console/faq/?q=飞线充电").get_data(as_text=True)
    assert "电动车充电桩能安装吗？" in html and "共 1 条" in html


def test_admin_edit_is_answered_at_once_in_chat(client, wechat, staff_user, faq_sample, db_session):
    login(client, staff_user("admin"))
    wechat.text(OPENID, "装电梯政府给补贴不")  # builds this worker's index
    entry = faq_sample["加装电梯有补贴吗？"]
    resp = post(client, f"/console/faq/{entry.id}", question=entry.question,
                alternatives="\n".join([*entry.alternatives, "加梯补贴"]),
                answer="每部电梯补助25万元。", category="加装电梯", active="1")
    assert resp.status_code == 302
    _, reply = wechat.text(OPENID, "装电梯政府给补贴不")
    assert "每部电梯补助25万元" in reply_text(reply)
    assert db_session.exec(select(AuditLog).where(AuditLog.action == "faq.update")).first() is not None


def test_new_entry_with_errors_is_refused(client, staff_user, db_session):
    login(client, staff_user("admin"))
    resp = post(client, "/console/faq/new", question="", answer="")
    assert resp.status_code == 400 and "问题不能为空" in resp.get_data(as_text=True)
    assert db_session.exec(select(FaqEntry)).all() == []


def test_unanswered_question_becomes_an_alternative_then_is_answered(client, wechat, staff_user, faq_sample,
                                                                     db_session):
    wechat.text(OPENID, "楼上的空调外机滴水到我家阳台")
    row = db_session.exec(select(UnansweredQuestion)).one()
    db_session.commit()
    login(client, staff_user("admin"))
    assert "楼上的空调外机滴水到我家阳台" in client.get("/console/faq/unanswered").get_data(as_text=True)
    target = faq_sample["怎么反映小区里的问题？"]
    assert post(client, f"/console/faq/unanswered/{row.id}/alternative", entry_id=str(target.id)).status_code == 302
    db_session.expire_all()
    assert db_session.get(UnansweredQuestion, row.id).status == "alternative"
    db_session.commit()
    _, reply = wechat.text(OPENID, "楼上的空调外机滴水到我家阳台")
    assert target.answer in reply_text(reply)


def test_unanswered_question_becomes_a_new_entry(client, wechat, staff_user, faq_sample, db_session):
    wechat.text(OPENID, "社区能不能办个书法班")
    row = db_session.exec(select(UnansweredQuestion)).one()
    db_session.commit()
    login(client, staff_user("admin"))
    resp = post(client, f"/console/faq/unanswered/{row.id}/new", answer="书法班由社区文化站统一安排，可到居委会报名。",
                category="社区服务")
    assert resp.status_code == 302
    db_session.expire_all()
    resolved = db_session.get(UnansweredQuestion, row.id)
    assert resolved.status == "new_entry"
    assert db_session.get(FaqEntry, resolved.entry_id).question == "社区能不能办个书法班"
    db_session.commit()
    _, reply = wechat.text(OPENID, "书法班能办吗")
    assert "书法班由社区文化站统一安排" in reply_text(reply)


def test_dismiss(client, wechat, staff_user, faq_sample, db_session):
    wechat.text(OPENID, "明天会不会下雨")
    row = db_session.exec(select(UnansweredQuestion)).one()
    db_session.commit()
    login(client, staff_user("admin"))
    post(client, f"/console/faq/unanswered/{row.id}/dismiss")
    db_session.expire_all()
    assert db_session.get(UnansweredQuestion, row.id).status == "dismissed"


def test_marked_outside_the_faq_the_matcher_says_no_match_to_it(client, wechat, staff_user, faq_sample, db_session,
                                                                app):
    asked = "物业把绿地改成停车场收费合法吗"  # near-topic: the FAQ answers with (or offers) its parking entry
    _, reply = wechat.text(OPENID, asked)
    assert "暂时答不上来" not in reply_text(reply)
    wechat.text(OPENID, "谢谢")  # leave any choices
    row = service.log_unanswered(asked, openid=OPENID, community_id=None, candidates=[], now=utcnow(),
                                 session=db_session)  # as a worker would queue it from the chat log
    db_session.commit()
    known = len(cache_for(runtime.services(app)).index.outside)
    login(client, staff_user("admin"))
    post(client, f"/console/faq/unanswered/{row.id}/outside")
    db_session.expire_all()
    assert db_session.get(UnansweredQuestion, row.id).status == "outside"
    assert db_session.exec(select(AuditLog).where(AuditLog.action == "faq.unanswered.outside")).one()
    assert len(cache_for(runtime.services(app)).index.outside) == known + 1
    _, reply = wechat.text(OPENID, asked)
    assert "暂时答不上来" in reply_text(reply)
    assert "不属于问答范围" in client.get("/console/faq/unanswered?status=outside").get_data(as_text=True)


def test_article_editor_and_news_reply(client, wechat, staff_user, db_session):
    login(client, staff_user("admin"))
    resp = post(client, "/console/faq/articles/new", title="加装电梯办事指南", summary="流程和补贴",
                body="一、条件……", active="1", sort_key="1")
    assert resp.status_code == 302
    article = db_session.exec(select(PolicyArticle)).one()
    db_session.commit()
    assert "一、条件" in client.get(f"/h5/articles/{article.id}").get_data(as_text=True)
    _, reply = wechat.text(OPENID, "政策")
    assert reply["MsgType"] == "news" and "加装电梯办事指南" in reply_text(reply)


def test_import_upload_all_or_nothing_and_export(client, staff_user, db_session):
    login(client, staff_user("admin"))
    bad = "问题,答案\n好问题,好答案\n,缺问题\n".encode("utf-8")
    resp = client.post("/console/faq/import", data={"csrf_token": csrf_token(client, "/console/faq/"),
                                                    "file": (io.BytesIO(bad), "faq.csv")},
                       content_type="multipart/form-data")
    assert resp.status_code == 400 and "问题不能为空" in resp.get_data(as_text=True)
    assert db_session.exec(select(FaqEntry)).all() == []
    db_session.commit()
    good = "问题,相似问法,答案\n好问题,好说法|另一说法,好答案\n".encode("utf-8")
    resp = client.post("/console/faq/import", data={"csrf_token": csrf_token(client, "/console/faq/"),
                                                    "file": (io.BytesIO(good), "faq.csv")},
                       content_type="multipart/form-data")
    assert resp.status_code == 200 and "导入完成" in resp.get_data(as_text=True)
    assert "导入检查" in resp.get_data(as_text=True)  # the report of what to fix first
    csv_text = client.get("/console/faq/export.csv").get_data().decode("utf-8-sig")
    assert "好说法|另一说法" in csv_text
    assert client.get("/console/faq/export.xlsx").data[:2] == b"PK"


def test_import_upload_reports_entries_that_compete_and_thin_ones(client, staff_user, db_session):
    login(client, staff_user("admin"))
    data = ("问题,答案\n物业费怎么交？,物业费每季度在物业服务中心缴纳，也可以在微信上缴。\n"
            "物业费如何缴纳？,物业费可以到社区服务站缴纳，每年一次。\n停车,业主决定\n").encode("utf-8")
    resp = client.post("/console/faq/import", data={"csrf_token": csrf_token(client, "/console/faq/"),
                                                    "file": (io.BytesIO(data), "faq.csv")},
                       content_type="multipart/form-data")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "检查了 3 / 3 条问答" in html
    assert "互相混淆" in html and "物业费如何缴纳？" in html
    assert "停车</a>：没有相似问法、问题太短、答案太短" in html
