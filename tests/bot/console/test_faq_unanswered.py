"""The unanswered queue in the console: scoped by community, residents' numbers masked
(issue 17 item 3); one click makes a question an alternative and says where it now goes
(issue 16 item 4)."""
from __future__ import annotations

from sqlmodel import select

from models import FaqEntry, UnansweredQuestion
from models.base import utcnow
from tests.fixtures.console import community_named, csrf_token, login

PHONE, ID_CARD = "13912345678", "130102198001011234"


def question(db_session, text: str, community: str | None) -> UnansweredQuestion:
    cid = community_named(db_session, community).id if community else None
    row = UnansweredQuestion(text=text, openid="oUnansweredResident0000000001", community_id=cid, asked_at=utcnow())
    db_session.add(row)
    db_session.commit()
    return row


def post(client, url: str, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/console/faq/unanswered"), **data})


def test_worker_sees_only_their_communities_questions_and_admin_sees_all(client, staff_user, db_session):
    mine = question(db_session, "A小区的快递柜能多装几个吗", "幸福里小区")
    theirs = question(db_session, "B小区的路灯什么时候修", "和平里小区")
    nowhere = question(db_session, "没有小区的居民问的问题", None)
    login(client, staff_user("worker", communities=["幸福里小区"]))
    html = client.get("/console/faq/unanswered?status=all").get_data(as_text=True)
    assert mine.text in html and theirs.text not in html and nowhere.text not in html
    # Another community's question cannot be answered by id either (404: not even confirmed).
    assert post(client, f"/console/faq/unanswered/{theirs.id}/answer", answer="随便答").status_code == 404
    db_session.expire_all()
    assert db_session.get(UnansweredQuestion, theirs.id).status == "open"
    db_session.commit()

    admin = client.application.test_client()
    login(admin, staff_user("admin"))
    html = admin.get("/console/faq/unanswered?status=all").get_data(as_text=True)
    assert mine.text in html and theirs.text in html and nowhere.text in html


def test_worker_without_communities_sees_none(client, staff_user, db_session):
    row = question(db_session, "A小区的快递柜能多装几个吗", "幸福里小区")
    login(client, staff_user("worker"))
    assert row.text not in client.get("/console/faq/unanswered").get_data(as_text=True)


def test_residents_numbers_are_masked_in_the_queue(client, staff_user, db_session):
    question(db_session, f"我家漏水了，电话{PHONE}，身份证{ID_CARD}，快来人", "幸福里小区")
    login(client, staff_user("admin"))
    html = client.get("/console/faq/unanswered").get_data(as_text=True)
    assert PHONE not in html and ID_CARD not in html
    assert "139****5678" in html and "1301**************" in html


def test_an_alternative_keeps_no_phone_number(client, staff_user, db_session, faq_sample):
    row = question(db_session, f"加装电梯的补贴怎么申请，我电话{PHONE}", "幸福里小区")
    entry = faq_sample["加装电梯有补贴吗？"]
    login(client, staff_user("admin"))
    assert post(client, f"/console/faq/unanswered/{row.id}/alternative", entry_id=str(entry.id)).status_code == 302
    db_session.expire_all()
    alternatives = db_session.get(FaqEntry, entry.id).alternatives
    db_session.commit()
    assert not any(PHONE in a for a in alternatives) and any("139****5678" in a for a in alternatives)


def test_adding_an_alternative_says_which_entry_the_question_now_reaches(client, staff_user, db_session,
                                                                         faq_sample):
    row = question(db_session, "楼上的空调外机滴水到我家阳台", "幸福里小区")
    target = faq_sample["怎么反映小区里的问题？"]
    login(client, staff_user("admin"))
    resp = post(client, f"/console/faq/unanswered/{row.id}/alternative", entry_id=str(target.id))
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert f"已加为问答 #{target.id} 的相似问法" in html
    assert "现在居民这样问，会直接得到这一条的答案" in html


def test_workers_answer_but_do_not_edit_the_faq(client, staff_user, db_session, faq_sample):
    row = question(db_session, "快递柜能多装几个吗", "幸福里小区")
    login(client, staff_user("worker", communities=["幸福里小区"]))
    html = client.get("/console/faq/unanswered").get_data(as_text=True)
    assert "答复居民" in html and "加为相似问法</button>" not in html
    entry = faq_sample["加装电梯有补贴吗？"]
    assert post(client, f"/console/faq/unanswered/{row.id}/alternative", entry_id=str(entry.id)).status_code == 403
    assert post(client, f"/console/faq/unanswered/{row.id}/answer", answer="已反映给街道。").status_code == 302
    db_session.expire_all()
    done = db_session.exec(select(UnansweredQuestion).where(UnansweredQuestion.id == row.id)).one()
    assert (done.status, done.answer, done.open_key) == ("answered", "已反映给街道。", None)
