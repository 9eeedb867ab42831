"""``notice send`` and ``notice list --json`` as promised to operators (INTERFACES.md)."""
from __future__ import annotations

import json

from sqlmodel import select

from models import AuditLog, Notice, OutboundMessage
from tests.fixtures.notices import bound


def notices_json(runner) -> list[dict]:
    result = runner.invoke(args=["notice", "list", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_send_to_one_building_queues_one_copy_per_bound_resident_and_prints_the_id(runner, db_session, roster):
    for openid, building, unit, room in [("oA", "1号楼", "1", "101"), ("oB", "1号楼", "1", "101"),
                                         ("oC", "1号楼", "2", "302"), ("oD", "2号楼", "1", "101")]:
        bound(db_session, openid, building, unit, room)
    sent = runner.invoke(args=["notice", "send", "--community", "幸福里小区", "--scope", "1号楼",
                               "--title", "明日停水", "--body", "明天 8:00-12:00 停水检修。", "--kind", "停水"])
    assert sent.exit_code == 0, sent.output
    notice_id = int(sent.output.strip())
    rows = db_session.exec(select(OutboundMessage).order_by(OutboundMessage.openid)).all()
    assert [r.openid for r in rows] == ["oA", "oB", "oC"]  # two members of one household: two copies
    assert {r.dedup_key for r in rows} == {f"notice:{notice_id}:{o}" for o in ("oA", "oB", "oC")}
    assert "明日停水" in rows[0].payload["text"] and rows[0].payload["template"]["kind"] == "notice"
    [item] = notices_json(runner)
    assert {k: item[k] for k in ("id", "title", "scope", "status", "recipients", "sent")} == {
        "id": notice_id, "title": "明日停水", "scope": "1号楼", "status": "sent", "recipients": 3, "sent": 0}
    assert db_session.exec(select(AuditLog.action)).all() == ["roster.import", "notice.create"]


def test_a_stairwell_and_a_later_time(runner, db_session, roster):
    bound(db_session, "oA", "1号楼", "1", "101")
    bound(db_session, "oC", "1号楼", "2", "302")
    sent = runner.invoke(args=["notice", "send", "--community", "XFL001", "--scope", "1号楼/2单元",
                               "--title", "电梯施工", "--body", "2单元电梯下周一起施工。"])
    assert sent.exit_code == 0, sent.output
    assert db_session.exec(select(OutboundMessage.openid)).all() == ["oC"]
    later = runner.invoke(args=["notice", "send", "--community", "幸福里小区", "--title", "业主大会",
                                "--body", "周六上午在活动室开会。", "--at", "2099-01-01T09:00"])
    assert later.exit_code == 0, later.output
    listed = {item["title"]: item for item in notices_json(runner)}
    assert listed["电梯施工"]["scope"] == "1号楼/2单元" and listed["电梯施工"]["recipients"] == 1
    assert listed["业主大会"]["status"] == "scheduled" and listed["业主大会"]["scope"] == "全小区"
    assert listed["业主大会"]["recipients"] == 0 and len(db_session.exec(select(OutboundMessage)).all()) == 1


def test_unknown_community_building_or_stairwell_exits_non_zero_and_writes_nothing(runner, db_session, roster):
    bound(db_session, "oA", "1号楼", "1", "101")
    cases = [(["--community", "没有的小区"], "小区不存在"), (["--community", "幸福里小区", "--scope", "9号楼"], "没有这栋楼"),
             (["--community", "幸福里小区", "--scope", "1号楼/7单元"], "没有这个单元"),
             (["--community", "幸福里小区", "--at", "明天"], "不是有效的时间")]
    for extra, message in cases:
        result = runner.invoke(args=["notice", "send", *extra, "--title", "停电", "--body", "检修"])
        assert result.exit_code != 0 and message in result.output, result.output
    empty = runner.invoke(args=["notice", "send", "--community", "幸福里小区", "--title", " ", "--body", "x"])
    assert empty.exit_code != 0 and "请填写通知标题" in empty.output
    db_session.expire_all()
    assert db_session.exec(select(Notice)).all() == [] and db_session.exec(select(OutboundMessage)).all() == []
    assert db_session.exec(select(AuditLog.action)).all() == ["roster.import"]
