"""Complaint categories: code, name residents read, and deadline class.

Configured in ``[complaints] categories``; the default list below fits an old
community under renovation.  Routing to a department is by ``Department.categories``.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    deadline_class: str = "general"


DEFAULT: tuple[Category, ...] = (
    Category("safety", "安全隐患（燃气、电线、消防通道）", "urgent"),
    Category("water", "供水排水（漏水、堵塞）", "urgent"),
    Category("environment", "环境卫生（垃圾、杂物）", "general"),
    Category("facility", "公共设施（路灯、门禁、座椅）", "general"),
    Category("construction", "施工问题（扰民、文明施工）", "general"),
    Category("greening", "绿化养护", "general"),
    Category("parking", "停车秩序", "general"),
    Category("building", "房屋本体（外墙、楼道、屋顶）", "complex"),
    Category("other", "其他", "general"),
)


def all_categories(settings: dict) -> tuple[Category, ...]:
    """The configured categories (``settings`` is the whole configuration)."""
    configured = settings.get("complaints", {}).get("categories") or []
    if not configured:
        return DEFAULT
    return tuple(Category(str(c["code"]), str(c["name"]), str(c.get("deadline_class", "general")))
                 for c in configured)


def by_code(settings: dict, code: str | None) -> Category | None:
    return next((c for c in all_categories(settings) if c.code == code), None)


def name_of(settings: dict, code: str | None) -> str:
    found = by_code(settings, code)
    return found.name if found else "未分类"


def short_name(settings: dict, code: str | None) -> str:
    """The name without its parenthesised examples, for lists."""
    return name_of(settings, code).split("（")[0]


def by_choice(settings: dict, text: str) -> Category | None:
    """A numbered choice ("3") or a name typed out ("环境卫生")."""
    cats = all_categories(settings)
    text = text.strip()
    if text.isdigit() and 1 <= int(text) <= len(cats):
        return cats[int(text) - 1]
    return next((c for c in cats if text and c.name.startswith(text)), None)
