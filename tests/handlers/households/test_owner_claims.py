"""Owner (产权人) claims through the real /wechat endpoint: stronger proof, a worker, the owner told."""
from sqlmodel import select

from handlers.households.membership import current_household, may_vote
from models import Binding, BindingRequest, Household, OutboundMessage, Resident
from tests.handlers.households.test_binding_chat import say, walk_to_verify

OWNER, CLAIMANT = "oOwnerResident0001", "oClaimantResident01"
PLACE = "1号楼1单元201"  # the roster's second row: owner 张002, phone 13800000002


def read(db_session, query):
    """Rows of a query, the read ended at once (SQLite: an open read makes the app's writes wait)."""
    db_session.expire_all()
    rows = db_session.exec(query).all()
    db_session.commit()
    return rows


def resident_id(db_session, openid):
    return read(db_session, select(Resident.id).where(Resident.openid == openid))[0]


def bindings_of(db_session, openid):
    return read(db_session, select(Binding).where(Binding.resident_id == resident_id(db_session, openid)))


def messages_to(db_session, openid):
    rows = read(db_session, select(OutboundMessage).where(OutboundMessage.openid == openid))
    return [m.payload["text"] for m in rows]


def household_201(db_session):
    return read(db_session, select(Household).where(Household.unit == "1", Household.room == "201"))[0]


def test_owner_name_alone_asks_for_the_phone_digits(wechat, db_session, roster):
    walk_to_verify(wechat, openid=CLAIMANT)
    asked = say(wechat, "张002", CLAIMANT)
    assert "户主姓名相符" in asked and "手机号的后四位" in asked and "绑定成功" not in asked
    assert bindings_of(db_session, CLAIMANT) == []
    assert "与登记的手机号不符，还可以再试 4 次" in say(wechat, "1234", CLAIMANT)
    assert "绑定成功" in say(wechat, "0002", CLAIMANT)
    [binding] = bindings_of(db_session, CLAIMANT)
    assert (binding.role, binding.verified_by) == ("owner", "roster")


def test_owner_name_alone_then_apply_waits_and_cannot_vote_as_owner(wechat, db_session, roster):
    walk_to_verify(wechat, role="2", openid=CLAIMANT)
    assert "绑定成功" in say(wechat, "张002", CLAIMANT)  # a family member on the name, as before
    household = household_201(db_session)
    household.voter_policy = "owner_only"
    db_session.add(household)
    db_session.commit()
    walk_to_verify(wechat, openid=CLAIMANT)
    say(wechat, "张002", CLAIMANT)
    pending = say(wechat, "申请", CLAIMANT)
    assert "需要社区工作人员核实后才能生效" in pending and "暂不能以产权人身份参与投票" in pending
    [request] = read(db_session, select(BindingRequest))
    assert (request.status, request.role, request.reason, request.proof) == ("pending", "owner", "name_only", "name")
    [binding] = bindings_of(db_session, CLAIMANT)
    assert (binding.role, binding.ended_at) == ("family", None)
    assert not may_vote(resident_id(db_session, CLAIMANT), household, session=db_session)
    db_session.commit()
    assert "请由产权人参与" in say(wechat, "调查", CLAIMANT)


def test_second_owner_claim_waits_for_a_worker_and_the_owner_is_told(wechat, db_session, roster):
    walk_to_verify(wechat, openid=OWNER)
    assert "绑定成功" in say(wechat, "0002", OWNER)
    walk_to_verify(wechat, openid=CLAIMANT)
    pending = say(wechat, "0002", CLAIMANT)  # even the phone digits: the owner may have been asked for them
    assert "这户已有产权人绑定" in pending and "暂不能以产权人身份参与投票" in pending and "绑定成功" not in pending
    assert bindings_of(db_session, CLAIMANT) == []
    assert current_household(resident_id(db_session, CLAIMANT), session=db_session) is None
    db_session.commit()
    [request] = read(db_session, select(BindingRequest))
    assert (request.reason, request.proof, request.role) == ("second_owner", "phone", "owner")
    [told] = messages_to(db_session, OWNER)
    assert f"有居民申请以产权人身份绑定您家【{PLACE}】" in told and "0311-12345678" in told
    assert "请先回复“绑定”" in say(wechat, "调查", CLAIMANT)

    walk_to_verify(wechat, openid=CLAIMANT)  # asking again updates the claim; the owner is told once
    assert "这户已有产权人绑定" in say(wechat, "张002", CLAIMANT)
    [request] = read(db_session, select(BindingRequest))
    assert (request.reason, request.proof) == ("second_owner", "name")
    assert len(messages_to(db_session, OWNER)) == 1


def test_owner_claim_without_a_roster_phone_goes_to_a_worker(wechat, db_session, roster):
    household = household_201(db_session)
    household.phone = ""
    db_session.add(household)
    db_session.commit()
    walk_to_verify(wechat, openid=CLAIMANT)
    assert "需要社区工作人员核实" in say(wechat, "张002", CLAIMANT)
    [request] = read(db_session, select(BindingRequest))
    assert (request.reason, request.proof, request.claimed_name) == ("name_only", "name", "张002")
    assert bindings_of(db_session, CLAIMANT) == []
