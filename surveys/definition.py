"""A survey definition (the JSON of docs/SURVEYS.md): normalise, check, compare.

Wording (titles, labels, help, messages) may change on a version that has
ballots; everything else is structure, and a structural change needs a new
version.  :func:`structure` is the definition with wording removed.
"""
from __future__ import annotations

import copy
import re
from typing import Any

from models.surveys import PHASES
from surveys import conditions, cost_sharing, questions
from surveys.errors import DefinitionError

SCHEMA = "linli.survey/1"
CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
WORDING_KEYS = frozenset({"title", "label", "help", "description", "message", "placeholder", "intro", "outro"})
DEFAULT_SETTINGS = {"threshold": 0.8, "gate_basis": "eligible", "results_visible": "after_close",
                    "exclude_statuses": ["vacant", "non_residential"]}
GATE_BASES = ("eligible", "respondents")
VISIBILITY = ("after_close", "always", "never")


def normalize(definition: dict) -> dict:
    """A copy with defaults made explicit (options of yes/no/abstain, settings)."""
    result = copy.deepcopy(definition)
    result["schema"] = SCHEMA
    result["settings"] = {**DEFAULT_SETTINGS, **(result.get("settings") or {})}
    for q in result.get("questions") or []:
        kind = questions.REGISTRY.get(q.get("type", ""))
        if kind is not None and kind.has_options and not q.get("options"):
            q["options"] = kind.default_options()
        q.setdefault("required", kind.answerable if kind else False)
    gate = result.get("gate")
    if gate and not gate.get("options"):
        q = question(result, gate.get("question", ""))
        kind = questions.REGISTRY.get(q.get("type", "")) if q else None
        if kind is not None and kind.gate_options(q):
            gate["options"] = kind.gate_options(q)
    return result


def check(definition: dict) -> dict:
    """The normalised definition, or DefinitionError listing every problem."""
    d = normalize(definition)
    problems = _check_header(d) + _check_questions(d) + _check_gate(d) + cost_sharing.check(d.get("cost_sharing"))
    if problems:
        raise DefinitionError(problems)
    return d


def _check_header(d: dict) -> list[str]:
    problems = []
    if not CODE.match(str(d.get("code", ""))):
        problems.append("模板 code 需以字母开头，只含字母、数字、- 和 _")
    if not str(d.get("title", "")).strip():
        problems.append("模板缺少标题 title")
    if d.get("phase") not in PHASES:
        problems.append(f"phase 须为 {'/'.join(PHASES)} 之一")
    s = d["settings"]
    if not isinstance(s.get("threshold"), (int, float)) or not 0 < s["threshold"] <= 1:
        problems.append("threshold 须在 0 到 1 之间，如 0.8")
    if s.get("gate_basis") not in GATE_BASES:
        problems.append("gate_basis 须为 eligible 或 respondents")
    if s.get("results_visible") not in VISIBILITY:
        problems.append("results_visible 须为 after_close/always/never")
    return problems


def _check_questions(d: dict) -> list[str]:
    qs = d.get("questions") or []
    problems = [] if qs else ["问卷没有题目"]
    seen: dict[str, str] = {}
    for q in qs:
        code = str(q.get("code", ""))
        if not CODE.match(code):
            problems.append(f"题目 code “{code}” 不合规")
        elif code in seen:
            problems.append(f"题目 code {code} 重复")
        kind = questions.REGISTRY.get(q.get("type", ""))
        if kind is None:
            problems.append(f"题目 {code} 的类型 {q.get('type')} 未知")
            continue
        if not str(q.get("title", "")).strip():
            problems.append(f"题目 {code} 缺少标题")
        problems += kind.check(q)
        for ref, op in conditions.referenced(q.get("show_if")):
            if ref not in seen:
                problems.append(f"题目 {code} 的显示条件引用了不在它之前的题目 {ref}")
            if op not in conditions.OPERATORS:
                problems.append(f"题目 {code} 的显示条件运算 {op} 未知")
        seen[code] = q["type"]
    return problems


def _check_gate(d: dict) -> list[str]:
    gate = d.get("gate")
    if not gate:
        return []  # participation gate: every ballot counts (plan opinions)
    q = question(d, gate.get("question", ""))
    if q is None:
        return [f"门槛题 {gate.get('question')} 不存在"]
    if not questions.get(q["type"]).gate_capable:
        return [f"门槛题 {q['code']} 须为单选、同意/不同意或满意度题"]
    codes = {o["code"] for o in questions.options_of(q)}
    if not gate.get("options") or not set(gate["options"]) <= codes:
        return [f"门槛题 {q['code']} 的计为“是”的选项须为它的选项"]
    return []


def question(d: dict, code: str) -> dict | None:
    return next((q for q in d.get("questions") or [] if q.get("code") == code), None)


def answerable(d: dict) -> list[dict]:
    return [q for q in d["questions"] if questions.get(q["type"]).answerable]


def structure(value: Any) -> Any:
    """The definition without wording: what must not change once ballots exist."""
    if isinstance(value, dict):
        return {k: structure(v) for k, v in value.items() if k not in WORDING_KEYS}
    if isinstance(value, list):
        return [structure(v) for v in value]
    return value


def gate_yes(d: dict, answers: dict[str, Any]) -> bool:
    """Whether a ballot counts towards the gate (without a gate question: taking part counts)."""
    gate = d.get("gate")
    if not gate:
        return True
    return answers.get(gate["question"]) in set(gate["options"])
