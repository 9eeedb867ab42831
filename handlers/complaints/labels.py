"""Chinese labels of states, actions, closure reasons and ratings (what people read)."""
from __future__ import annotations

STATE_LABELS = {
    "draft": "填写中", "submitted": "待审核", "need_info": "待补充", "accepted": "已受理", "dispatched": "已派单",
    "returned": "被退回", "in_progress": "处理中", "extension_requested": "申请延期", "resolved": "已处理待评价",
    "reopened": "重新处理", "closed": "已办结", "rejected": "不予受理", "duplicate": "已合并",
}
ACTION_LABELS = {
    "submit": "提交", "request_info": "请居民补充", "add_info": "居民补充", "accept": "受理", "dispatch": "派单",
    "sign": "签收", "return": "退单", "request_extension": "申请延期", "grant_extension": "同意延期",
    "deny_extension": "不同意延期", "resolve": "办结（上传处理后照片）", "rate": "居民评价", "reopen": "重新打开",
    "close": "办结归档", "reject": "不予受理", "mark_duplicate": "标记为重复",
    "deadline_warning": "即将超时提醒", "escalated": "超时督办", "hide": "隐藏", "unhide": "取消隐藏",
    "redact_photo": "屏蔽照片",
}
CLOSURE_LABELS = {
    "fixed": "已解决", "cannot_fix": "无法解决", "not_ours": "非本单位职责", "withdrawn": "居民撤回",
    "closed_unsatisfied": "不满意但经负责人批准办结", "no_response": "未补充信息", "invalid": "无效诉求",
    "duplicate": "重复诉求",
}
# What a resident reads about their own complaint.
RESIDENT_STATE_LABELS = {
    **STATE_LABELS, "submitted": "已收到，待审核", "need_info": "待您补充", "returned": "重新派单中", "extension_requested": "处理中",
    "resolved": "已处理，待您评价", "reopened": "重新处理中", "duplicate": "已合并办理",
}
RATING_LABELS = {"solved": "已解决", "partly": "部分解决", "not_solved": "未解决"}
# Shown after the category name, which may carry brackets of its own: none here.
DEADLINE_LABELS = {"urgent": "紧急，24小时", "general": "一般，7个工作日", "complex": "复杂，15个工作日"}
