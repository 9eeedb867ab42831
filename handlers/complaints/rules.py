"""What a transition may refuse, and why a complaint ends (imported by lifecycle and effects alike).

Kept apart from lifecycle.py so that effects.py needs nothing of the lifecycle
that calls it (no import circle).
"""
from __future__ import annotations


class TransitionError(ValueError):
    """The action is not allowed now, by this actor, or lacks what it needs (message in Chinese)."""


# Closure reason → what people read; separate from states (a closed complaint says why).
CLOSURE_REASONS = {
    "fixed": "已解决", "cannot_fix": "无法解决", "not_ours": "非本单位职责", "withdrawn": "居民撤回",
    "closed_unsatisfied": "不满意但经负责人批准办结", "no_response": "未补充信息", "invalid": "无效诉求",
    "duplicate": "重复诉求",
}
# Which reasons fit which action: 不予受理 is said before any work, so never 已解决 or 居民撤回.
REASONS_FOR = {"close": ("fixed", "cannot_fix", "not_ours", "withdrawn", "closed_unsatisfied", "no_response",
                         "invalid"),
               "reject": ("not_ours", "invalid")}
