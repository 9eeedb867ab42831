"""Issue 18, notices end to end: residents who joined through /wechat, a notice to one building,
the outbox delivery job against the fake WeChat API (down, then back), the 48-hour window's
template fallback, a survey published and announced once, and 通知 in chat."""
from __future__ import annotations

import re
from collections import Counter

import pytest
from sqlmodel import select

from bot.devtools.wechat_client import SimulatedWeChat, reply_text
from models import Notice, OutboundMessage
from surveys import templates
from tests.fixtures.fakewechat import APP_SECRET
from tests.fixtures.notices import bind_follower
from tests.fixtures.surveys import sample_definition
from tests.fixtures.wechat import ACCOUNT, APP_ID, TOKEN, flask_transport

OLD, ANN, BEN, CAT, DAN, EVE = (f"oNotice{name}0000000000000000"[:28] for name in ("Old", "Ann", "Ben", "Cat", "Dan",
                                                                                     "Eve"))
IN_ONE = {OLD: ("1号楼", "1", "101"), ANN: ("1号楼", "1", "101"), BEN: ("1号楼", "2", "302")}
ELSEWHERE = {CAT: ("2号楼", "1", "101")}  # DAN follows but is not bound; EVE is bound, then unbinds


@pytest.fixture
def wired(make_app, fake_wechat, tmp_path):
    return make_app({"wechat": {"api_base_url": fake_wechat.url, "app_secret": APP_SECRET, "api_timeout_s": 2.0,
                                "reply_budget_s": 60.0},
                     "outbox": {"templates": {"notice": "TPL_NOTICE"}, "rate_per_s": 1000.0, "burst": 100,
                                "backoff_base_s": 30, "backoff_max_s": 120},
                     "clock": {"lock_path": str(tmp_path / "clock.lock")}})


@pytest.fixture
def wx(wired, clock):
    return SimulatedWeChat(transport=flask_transport(wired.test_client()), token=TOKEN, app_id=APP_ID,
                           account=ACCOUNT, clock=clock)


@pytest.fixture
def residents(wx, clock, db_session, roster):
    """OLD joined 49 hours ago (outside the window), the others just now; DAN is not bound."""
    for openid in [OLD, ANN, BEN, CAT, DAN, EVE]:
        assert wx.event(openid, "subscribe", key=f"qrscene_community_{roster.id}")[0] == 200
        if openid == OLD:
            clock.advance(49 * 3600)
    for openid, (building, unit, room) in {**IN_ONE, **ELSEWHERE, EVE: ("1号楼", "1", "201")}.items():
        bind_follower(db_session, openid, building, unit, room)
    assert wx.text(EVE, "解绑")[0] == 200  # EVE's binding ends: no notice for her
    return roster


def deliveries(fake) -> Counter:
    return Counter(c["json"].get("touser") for c in fake.calls
                   if c["path"].endswith(("custom/send", "template/send")) and c["errcode"] == 0)


def cli(wired, *args: str):
    result = wired.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_a_notice_to_one_building_reaches_each_bound_resident_there_once_through_an_outage(
        wired, residents, fake_wechat, clock, db_session, run_job):
    cli(wired, "jobs", "run", "outbox.deliver")  # the token, fetched while WeChat is up
    fake_wechat.go_down()
    notice_id = int(cli(wired, "notice", "send", "--community", "幸福里小区", "--scope", "1号楼",
                        "--title", "明日停水", "--body", "明天 8:00-12:00 1号楼停水检修，请提前储水。", "--kind", "停水"))
    for _ in range(3):
        run_job("outbox.deliver", on_app=wired)
        run_job("notices.send", on_app=wired)  # a second run of the fan-out adds nothing
        clock.advance(60)
    assert deliveries(fake_wechat) == Counter()
    fake_wechat.come_up()
    for _ in range(4):
        clock.advance(150)
        run_job("outbox.deliver", on_app=wired)
        run_job("notices.send", on_app=wired)
    assert deliveries(fake_wechat) == Counter({OLD: 1, ANN: 1, BEN: 1})  # not CAT, DAN nor EVE (unbound)
    [old] = [c for c in fake_wechat.calls if c["path"].endswith("template/send") and c["errcode"] == 0]
    assert old["json"]["touser"] == OLD and old["json"]["template_id"] == "TPL_NOTICE"
    assert "明日停水" in str(old["json"]["data"]) and "1号楼停水检修" in str(old["json"]["data"])
    custom = [c["json"]["text"]["content"] for c in fake_wechat.calls_to("custom/send") if c["errcode"] == 0]
    assert len(custom) == 2 and all("明日停水" in text and "1号楼" in text for text in custom)
    listed = cli(wired, "notice", "list", "--json")
    assert f'"id": {notice_id}' in listed and '"recipients": 3' in listed and '"sent": 3' in listed


def test_a_published_survey_is_announced_once_to_the_residents_in_its_scope(
        wired, residents, fake_wechat, clock, db_session, run_job):
    template = templates.import_definition(sample_definition(), session=db_session)
    db_session.commit()
    run_id = int(cli(wired, "survey", "publish", str(template.id), "--community", "幸福里小区"))
    for _ in range(3):
        run_job("notices.send", on_app=wired)
        run_job("surveys.remind", on_app=wired)
        run_job("outbox.deliver", on_app=wired)
        clock.advance(60)
    [notice] = db_session.exec(select(Notice)).all()
    assert notice.source == f"survey_run:{run_id}" and notice.kind == "调查" and notice.building_id is None
    announced = db_session.exec(select(OutboundMessage).where(OutboundMessage.kind == "notice")).all()
    assert sorted(r.openid for r in announced) == sorted([OLD, ANN, BEN, CAT])
    assert all(r.status == "sent" for r in announced)
    texts = [c["json"]["text"]["content"] for c in fake_wechat.calls_to("custom/send") if c["errcode"] == 0]
    assert sum("测试改造意愿征询" in t and "已开始" in t for t in texts) == 3  # OLD by template message


def test_tongzhi_answers_with_the_latest_notices_for_the_residents_building(wired, wx, residents, clock):
    cli(wired, "notice", "send", "--community", "幸福里小区", "--scope", "2号楼", "--title", "2号楼停电",
        "--body", "2号楼配电检修。")
    clock.advance(60)
    cli(wired, "notice", "send", "--community", "幸福里小区", "--title", "业主大会", "--body", "周六上午在活动室开会。",
        "--kind", "会议")
    clock.advance(60)
    cli(wired, "notice", "send", "--community", "幸福里小区", "--scope", "1号楼/2单元", "--title", "电梯施工",
        "--body", "2单元电梯下周一起施工。", "--kind", "施工")
    cli(wired, "notice", "send", "--community", "幸福里小区", "--title", "下月停气", "--body", "x", "--at", "2099-01-01")
    ben = reply_text(wx.text(BEN, "通知")[1])
    assert ben.index("电梯施工") < ben.index("业主大会") and "2号楼停电" not in ben and "下月停气" not in ben
    page = wired.test_client().get(re.search(r"/h5/notices\?t=\S+", ben).group(0))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "电梯施工" in html and "业主大会" in html and "2号楼停电" not in html
    assert "width=device-width" in html and "1号楼/2单元" in html
    assert wired.test_client().get("/h5/notices?t=forged").status_code == 403
    ann = reply_text(wx.text(ANN, "公告")[1])
    assert "业主大会" in ann and "电梯施工" not in ann and "2号楼停电" not in ann
    assert "绑定" in reply_text(wx.text(DAN, "通知")[1])
