"""The audit log in words: one table of action labels, readable targets, actors and changes.

Audit rows keep machine codes (``staff.login``, ``survey_run:2``, JSON before/after);
the page an admin reads shows them through these functions.  Every action code
the code writes has a label here (tests/bot/console/test_audit_words.py checks).
"""
from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from handlers.complaints.labels import ACTION_LABELS as COMPLAINT_ACTIONS
from handlers.complaints.labels import CLOSURE_LABELS, STATE_LABELS
from models import StaffUser
from models.privacy import mask_name

ACTIONS = {
    "staff.login": "登录", "staff.logout": "退出登录", "staff.create": "新建工作人员账号",
    "staff.update": "修改工作人员账号", "community.create": "新建小区", "roster.import": "导入花名册",
    "household.update": "修改住户信息", "households.export": "导出住户名单", "pii.view": "查看完整姓名电话",
    "binding.approve": "通过绑定申请", "binding.reject": "拒绝绑定申请", "binding.end": "解除绑定",
    "department.create": "新建部门", "department.update": "修改部门", "department.retire": "撤销部门",
    "department.restore": "恢复部门", "department.import": "导入部门",
    "complaint.export": "导出诉求", "complaint.enter": "代居民登记诉求", "complaint.hide": "隐藏或取消隐藏诉求",
    "complaint.redact_photo": "屏蔽诉求照片", "complaint.dispatch": "派单",
    "faq.create": "新建问答", "faq.update": "修改问答", "faq.import": "导入问答",
    "faq.article.create": "新建政策文章", "faq.article.update": "修改政策文章",
    "faq.unanswered.alternative": "未答问题归入已有问答", "faq.unanswered.new_entry": "未答问题新建问答",
    "faq.unanswered.outside": "未答问题标为超出范围", "faq.unanswered.dismiss": "忽略未答问题",
    "survey.template.import": "导入问卷模板", "survey.template.save": "保存问卷模板",
    "survey.template.build": "编辑问卷题目", "survey.version.edit": "修改问卷版本",
    "survey.run.publish": "发布调查", "survey.run.close": "结束调查", "survey.run.settings": "修改调查设置",
    "survey.export": "导出答卷", "survey.evidence_export": "下载表决证据包", "survey.proxy.grant": "登记委托投票", "survey.proxy.revoke": "撤销委托投票",
    "survey.paper_ballot": "录入纸质答卷", "survey.paper_sheet.view": "查看签字答卷",
    "outbox.retry": "重发消息", "building.positions": "设置楼栋位置", "faq.unanswered.answer": "答复居民的未答问题",
    "staff.password": "修改密码", "survey.run.publish_early": "前一阶段未通过时仍发布调查",
    "survey.objection.answer": "答复公示异议",
    "project.stage": "修改改造阶段", "project.item_create": "新建改造内容", "project.item_save": "修改改造内容",
    "project.photo": "添加施工进度照片", "project.link_complaint": "诉求关联改造内容",
    "notice.create": "发布通知",
}
# The log's filter: groups (a prefix of the code) first, then single actions.
GROUPS = {"staff.": "账号（全部）", "binding.": "绑定（全部）", "complaint.": "诉求（全部）", "survey.": "调查（全部）",
          "faq.": "问答（全部）", "department.": "部门（全部）", "project.": "改造项目（全部）"}
FILTERS = {**GROUPS, **ACTIONS}
TARGETS = {
    "staff": "工作人员", "community": "小区", "household": "住户", "households": "住户名单", "roster": "花名册",
    "binding": "绑定", "binding_request": "绑定申请", "owner_claim": "产权人申请", "department": "部门",
    "complaint": "诉求", "complaints": "诉求列表", "photo": "照片", "faq": "问答", "article": "政策文章",
    "unanswered": "未答问题", "survey_template": "问卷模板", "survey_version": "问卷版本", "survey_run": "调查",
    "ballot": "答卷", "outbound_message": "待发消息", "notice": "通知",
    "objection": "公示异议",
    "project_stage": "改造阶段", "project_item": "改造内容",
}
ACTORS = {"system": "系统", "cli": "命令行", "demo": "演示数据"}
FIELDS = {
    "active": "启用", "alternatives": "其他问法", "answer": "回答", "article_id": "文章", "buildings_created": "新建楼栋",
    "categories": "负责类别", "category": "类别", "code": "代码", "communities": "小区", "communities_created": "新建小区",
    "community": "小区", "community_id": "小区", "created": "新增", "department": "部门", "department_id": "部门",
    "eligible": "应参与户", "ended": "已解除", "entry_id": "问答", "excluded": "排除户",
    "excluded_statuses": "排除的住户状态", "floor_area": "面积", "hours": "办公时间", "household_id": "住户",
    "ip": "来源地址", "masked": "已遮挡姓名电话", "name": "名称", "note": "说明", "owner_name": "户主", "pending": "待处理",
    "phase": "阶段", "phone": "电话", "phone_public": "电话对居民公开", "photo": "照片", "question": "问题",
    "questions": "题目数", "reason": "原因", "resident_id": "居民", "role": "角色", "rows": "行数", "skipped": "跳过",
    "source": "来源", "status": "状态", "supervisors": "督办人", "tags": "标签", "threshold": "门槛",
    "closes_at": "结束时间", "title": "标题", "total": "总数", "unchanged": "未变", "updated": "更新",
    "username": "账号", "version_id": "版本", "errors": "错误", "retired": "已撤销", "staff": "人员",
    "ok": "成功", "requested_workdays": "延期工作日", "workdays": "工作日", "signed_off_by": "签字人",
    "planned_start": "计划开始", "planned_end": "计划完成", "actual_start": "实际开始", "actual_end": "实际完成",
    "progress": "完成比例", "ticket": "诉求编号", "unlink": "取消关联", "photo_id": "照片",
    "scope": "范围", "send_at": "发送时间",
}
UNSHOWN = {"code"}  # machine names (a template's code): the title next to it says it for people
VALUES: dict[Any, str] = {
    **STATE_LABELS, **CLOSURE_LABELS, True: "是", False: "否", "occupied": "自住", "rented": "出租", "vacant": "空置",
    "non_residential": "非住宅",
    "owner": "产权人", "family": "家庭成员", "tenant": "租户", "admin": "管理员", "worker": "社区工作人员",
    "department": "部门人员", "willingness": "改造意愿", "plan_opinion": "方案意见", "plan_vote": "方案表决",
    "satisfaction": "满意度", "pending": "待处理", "approved": "已通过", "rejected": "已拒绝",
    "open": "进行中", "closed": "已结束", "scheduled": "未开始",
    "active": "进行中", "done": "已完成", "planned": "计划中", "working": "施工中", "paused": "暂停",
}


def action_label(action: str) -> str:
    """``staff.login`` → 登录; ``complaint.<step>`` → 诉求的那一步; never the code itself."""
    if action in ACTIONS:
        return ACTIONS[action]
    kind, _, step = action.partition(".")
    if kind == "complaint" and step in COMPLAINT_ACTIONS:
        return f"诉求{COMPLAINT_ACTIONS[step]}"
    return "其他操作"


def target_label(target: str) -> str:
    """``survey_run:2`` → 调查 #2; a file name stays as it is."""
    kind, sep, rest = target.partition(":")
    if not sep:
        return TARGETS.get(target, target)
    return f"{TARGETS.get(kind, '对象')} {'#' + rest if rest.isdigit() else rest}"


def staff_directory(usernames: set[str], *, session: Session) -> dict[str, tuple[str, str]]:
    """username → (role, display name) for the given usernames, in one query."""
    rows = session.exec(select(StaffUser).where(StaffUser.username.in_(usernames or {""}))).all()
    return {u.username: (u.role, u.display_name) for u in rows}


def actor_label(actor: str, staff: dict[str, tuple[str, str]]) -> str:
    """居民 / 工作人员 (role) + masked name; ``staff`` maps username → (role, display name)."""
    if actor in ACTORS:
        return ACTORS[actor]
    if actor.startswith("resident:"):
        return "居民"  # the complaint page adds the reporter's masked name
    role, name = staff.get(actor, ("", ""))
    who = VALUES.get(role, "工作人员") if role else "工作人员"
    return f"{who} {mask_name(name or actor)}"


def change_summary(before: dict | None, after: dict | None, words: dict[str, str] | None = None) -> str:
    """“状态：待处理 → 已通过；行数：3” — what changed, in words."""
    before, after, words = before or {}, after or {}, words or {}
    parts = []
    for key in list(dict.fromkeys([*before, *after])):
        old, new = before.get(key), after.get(key)
        if key in UNSHOWN or (key in before and key in after and old == new):
            continue
        shown = _value(new, words) if key in after else "（删除）"
        if key in before and key in after:
            shown = f"{_value(old, words)} → {shown}"
        parts.append(f"{FIELDS.get(key, '其他')}：{shown}")
    return "；".join(parts)


def _value(value: Any, words: dict[str, str]) -> str:
    if value is None or value == "" or value == []:
        return "空"
    if isinstance(value, bool):
        return VALUES[value]
    if isinstance(value, str):
        return words.get(value) or VALUES.get(value, value)
    if isinstance(value, (list, tuple)):
        return "、".join(_value(v, words) for v in value)
    if isinstance(value, dict):
        return "，".join(f"{FIELDS.get(k, '其他')} {_value(v, words)}" for k, v in value.items())
    return str(value)
