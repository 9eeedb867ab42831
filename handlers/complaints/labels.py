"""Chinese labels of states, actions, closure reasons and ratings (what people read)."""
from __future__ import annotations

from handlers.complaints.rules import CLOSURE_REASONS
from handlers.complaints.states import RESIDENT_LABELS, STAFF_LABELS

# States and closure reasons are labelled in their own tables (states.py, rules.py); these names are
# the ones pages, exports and the audit log import.
STATE_LABELS = STAFF_LABELS
RESIDENT_STATE_LABELS = RESIDENT_LABELS  # what a resident reads about their own complaint
CLOSURE_LABELS = CLOSURE_REASONS
ACTION_LABELS = {
    "submit": "提交", "request_info": "请居民补充", "add_info": "居民补充", "accept": "受理", "dispatch": "派单",
    "sign": "签收", "return": "退单", "request_extension": "申请延期", "grant_extension": "同意延期",
    "deny_extension": "不同意延期", "resolve": "办结（上传处理后照片）", "rate": "居民评价", "reopen": "重新打开",
    "close": "办结归档", "reject": "不予受理", "mark_duplicate": "标记为重复",
    "deadline_warning": "即将超时提醒", "escalated": "超时督办", "hide": "隐藏", "unhide": "取消隐藏",
    "redact_photo": "屏蔽照片",
}
# What an action's parameters are called when one is missing (lifecycle's refusal names them).
PARAM_LABELS = {"note": "说明", "reason": "原因", "workdays": "工作日数", "original_id": "原诉求", "result": "评价结果",
                "score": "评分", "department_id": "承办部门", "category": "类别", "signed_off_by": "负责人签字"}
RATING_LABELS = {"solved": "已解决", "partly": "部分解决", "not_solved": "未解决"}
# Shown after the category name, which may carry brackets of its own: none here.
DEADLINE_LABELS = {"urgent": "紧急，24小时", "general": "一般，7个工作日", "complex": "复杂，15个工作日"}
