"""Binding through the real /wechat endpoint, with the signed simulated WeChat."""
import pytest
from sqlmodel import select

from bot.devtools.wechat_client import reply_text
from handlers.households.membership import current_household, may_vote
from handlers.households.roster import import_roster
from models import Binding, BindingRequest, Community, Household, Resident
from tests.fixtures.households import csv_bytes

OPENID = "oBindingResident0001"


def say(wechat, text, openid=OPENID):
    status, reply = wechat.text(openid, text)
    assert status == 200
    return reply_text(reply)


def resident(db_session, openid=OPENID):
    db_session.expire_all()
    return db_session.exec(select(Resident).where(Resident.openid == openid)).one()


def walk_to_verify(wechat, role="1", openid=OPENID):
    """1号楼1单元201 (the roster's second row: 张002, phone ending 0002); role 1 owner, 2 family, 3 tenant."""
    assert "1. 1号楼" in say(wechat, "绑定", openid)
    assert "单元和房号" in say(wechat, "1", openid)
    assert "关系" in say(wechat, "1单元201", openid)
    assert "户主姓名" in say(wechat, role, openid)


def test_matching_name_binds_a_family_member_at_once(wechat, db_session, roster):
    walk_to_verify(wechat, role="2")
    answer = say(wechat, "张002")
    assert "绑定成功" in answer and "1号楼1单元201" in answer
    person = resident(db_session)
    household = current_household(person.id, session=db_session)
    assert (household.unit, household.room) == ("1", "201")
    binding = db_session.exec(select(Binding)).one()
    assert (binding.verified_by, binding.role) == ("roster", "family")
    assert may_vote(person, household, session=db_session)


def test_last_four_digits_of_the_phone_bind_the_first_owner_at_once(wechat, db_session, roster):
    walk_to_verify(wechat)
    assert "绑定成功" in say(wechat, "0002")
    binding = db_session.exec(select(Binding)).one()
    assert (binding.verified_by, binding.role) == ("roster", "owner")


def test_mismatch_then_request_for_a_worker(wechat, db_session, roster):
    walk_to_verify(wechat)
    assert "还可以再试 4 次" in say(wechat, "王五")
    assert "社区工作人员核实" in say(wechat, "申请")
    request = db_session.exec(select(BindingRequest)).one()
    assert (request.status, request.claimed_name, request.reason) == ("pending", "王五", "mismatch")
    assert current_household(resident(db_session).id, session=db_session) is None


def test_five_wrong_answers_are_refused(wechat, db_session, roster, clock):
    walk_to_verify(wechat)
    for left in (4, 3, 2, 1):
        assert f"再试 {left} 次" in say(wechat, "错误姓名")
    assert "暂停" in say(wechat, "错误姓名")
    assert "暂停" in say(wechat, "绑定")
    assert db_session.exec(select(Binding)).all() == []
    db_session.rollback()  # SQLite: let the app write (our read holds the lock otherwise)
    clock.advance(24 * 3600 + 1)
    assert "1号楼" in say(wechat, "绑定")


def test_ambiguous_room_asks_for_the_unit(wechat, db_session, community):
    rows = [["幸福里小区", "5号楼", "1", "501", "赵一", "13900000001", "自住"],
            ["幸福里小区", "5号楼", "2", "501", "钱二", "13900000002", "自住"]]
    assert import_roster(csv_bytes(rows), session=db_session, filename="r.csv").ok
    db_session.commit()
    say(wechat, "绑定")
    answer = say(wechat, "5号楼")
    assert "单元和房号" in answer
    answer = say(wechat, "501室")
    assert "1. 1单元501" in answer and "2. 2单元501" in answer
    assert "【5号楼2单元501】" in say(wechat, "2")


def test_unknown_room_is_asked_again_and_cancel_leaves(wechat, roster):
    say(wechat, "绑定")
    say(wechat, "1")
    assert "没有找到“999”" in say(wechat, "999")
    assert "已退出绑定" in say(wechat, "取消")


def test_unbind_keeps_history_and_rebinding_moves(wechat, db_session, roster):
    walk_to_verify(wechat)
    say(wechat, "0002")
    assert "已解除与【1号楼1单元201】的绑定" in say(wechat, "解绑")
    assert current_household(resident(db_session).id, session=db_session) is None
    db_session.rollback()
    say(wechat, "绑定")
    say(wechat, "2")
    say(wechat, "2单元202")
    say(wechat, "3")  # tenant
    assert "绑定成功" in say(wechat, "张011")
    bindings = db_session.exec(select(Binding).order_by(Binding.id)).all()
    assert [b.ended_at is not None for b in bindings] == [True, False]
    assert bindings[1].role == "tenant"


def test_owner_only_policy_refuses_family_members(wechat, db_session, roster):
    household = db_session.exec(select(Household).where(Household.unit == "1", Household.room == "201")).first()
    household.voter_policy = "owner_only"
    db_session.add(household)
    db_session.commit()
    say(wechat, "绑定")
    say(wechat, "1")
    say(wechat, "1单元201")
    say(wechat, "2")  # family member
    assert "绑定成功" in say(wechat, "张002")
    db_session.refresh(household)
    assert not may_vote(resident(db_session), household, session=db_session)


def test_qr_community_is_used_without_asking(wechat, db_session, roster):
    other = Community(name="和平里小区")
    db_session.add(other)
    db_session.commit()
    wechat.event(OPENID, "subscribe", f"qrscene_community_{roster.id}")
    assert "【幸福里小区】请选择您家所在的楼栋" in say(wechat, "绑定")
    assert "请选择您所在的小区" in say(wechat, "绑定", openid="oAnotherResident")


def test_building_qr_scene_sets_the_community(client, db_session, roster):
    from models import Building
    from tests.fixtures.wechat import OPENID as FIXTURE_OPENID, load_fixture

    other = Community(name="和平里小区")
    db_session.add(other)
    db_session.flush()
    db_session.add(Building(id=12, community_id=roster.id, name="12号楼", sort_key=12))
    db_session.commit()
    query, body = load_fixture("11_event_subscribe_qrscene")  # qrscene_building_12
    assert client.post("/wechat", query_string=query, data=body).status_code == 200
    assert resident(db_session, FIXTURE_OPENID).community_id == roster.id


@pytest.mark.parametrize("building, room, expected", [
    ("二号楼", "一单元101", "2号楼1单元101"),
    ("二栋", "二单元一零二", "2号楼2单元102"),
    ("2号楼", "二单元三零二室", "2号楼2单元302"),
    ("第一个", "一单元三零一", "1号楼1单元301"),
    ("一号楼", "1单元二零一", "1号楼1单元201"),
])
def test_chinese_numerals_in_building_and_room(wechat, roster, building, room, expected):
    say(wechat, "绑定")
    assert "单元和房号" in say(wechat, building)
    assert f"【{expected}】" in say(wechat, room)


def test_spoken_building_number_beyond_the_list(wechat, db_session, community):
    rows = [["幸福里小区", f"{n}号楼", "1", "101", f"赵{n}", f"1390000{n:04d}", "自住"] for n in (3, 12)]
    assert import_roster(csv_bytes(rows), session=db_session, filename="r.csv").ok
    db_session.commit()
    say(wechat, "绑定")
    assert "单元和房号" in say(wechat, "十二号楼")
    assert "【12号楼1单元101】" in say(wechat, "一零一")
    say(wechat, "取消")
    say(wechat, "绑定")
    assert "单元和房号" in say(wechat, "三号楼")
    assert "【3号楼1单元101】" in say(wechat, "一单元一零一")
