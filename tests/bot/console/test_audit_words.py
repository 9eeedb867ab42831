"""The audit log's words: every action the code writes has a label; changes read as sentences."""
from __future__ import annotations

import re

from bot import PROJECT_ROOT
from bot.console import audit_words
from handlers.complaints.lifecycle import TRANSITIONS

WRITTEN = re.compile(r"""(?:audit\(\s*|action=|_resolved\(question_id,\s*)["']([a-z_]+(?:\.[a-z_]+)+)["']""")


def actions_in_source() -> set[str]:
    found = set()
    for package in ("bot", "handlers", "surveys"):
        for path in (PROJECT_ROOT / package).rglob("*.py"):
            found |= set(WRITTEN.findall(path.read_text(encoding="utf-8")))
    found |= {f"binding.{d}" for d in ("approve", "reject")} | {f"complaint.{a}" for a in TRANSITIONS}
    return found


def test_every_written_action_has_a_label():
    found = actions_in_source()
    assert {"staff.login", "roster.import", "survey.run.publish", "faq.unanswered.dismiss"} <= found
    assert [a for a in sorted(found) if audit_words.action_label(a) == "其他操作"] == []


def test_targets_actors_and_changes_in_words():
    assert audit_words.target_label("survey_run:2") == "调查 #2"
    assert audit_words.target_label("roster:花名册.xlsx") == "花名册 花名册.xlsx"
    staff = {"lisi": ("worker", "李四")}
    assert audit_words.actor_label("lisi", staff) == "社区工作人员 李*"
    assert audit_words.actor_label("resident:7", staff) == "居民"
    assert audit_words.actor_label("system", staff) == "系统"
    summary = audit_words.change_summary({"status": "vacant", "active": True}, {"status": "occupied", "active": True,
                                                                              "categories": ["water"]},
                                         {"water": "供水排水"})
    assert summary == "状态：空置 → 自住；负责类别：供水排水"
    assert audit_words.change_summary(None, {"code": "plan-vote", "title": "表决票"}) == "标题：表决票"


def test_the_log_filters_by_group_and_reads_in_words(client, staff_user):
    from tests.fixtures.console import login

    login(client, staff_user("admin", username="wangwu"))
    html = client.get("/console/audit?action=staff.").get_data(as_text=True)
    assert '<option value="staff." selected>账号（全部）</option>' in html
    assert "登录" in html and "管理员 测" in html and "staff.login</td>" not in html  # display name, masked
    assert "登录" not in client.get("/console/audit?action=survey.").get_data(as_text=True).split('id="audit"')[1]
