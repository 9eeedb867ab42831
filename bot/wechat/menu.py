"""The custom menu: from ``[menu] buttons`` in config, or the default below.

Config shape (TOML), WeChat's own button fields::

    [[menu.buttons]]
    name = "政策问答"
    type = "click"
    key = "FAQ"

    [[menu.buttons]]
    name = "随手拍"
    sub_button = [{type = "click", name = "拍照反映", key = "COMPLAINT"}, ...]

CLICK keys are the ones the chat handlers know (docs/ARCHITECTURE.md):
FAQ, SURVEY, COMPLAINT, MY_COMPLAINTS, BIND.
"""
from __future__ import annotations

from typing import Any

DEFAULT_BUTTONS: list[dict[str, Any]] = [
    {"type": "click", "name": "政策问答", "key": "FAQ"},
    {"type": "click", "name": "意见征询", "key": "SURVEY"},
    {"name": "随手拍", "sub_button": [
        {"type": "click", "name": "拍照反映", "key": "COMPLAINT"},
        {"type": "click", "name": "我的诉求", "key": "MY_COMPLAINTS"},
        {"type": "click", "name": "绑定房屋", "key": "BIND"},
    ]},
]
TOP_NAME_BYTES, SUB_NAME_BYTES = 16, 60  # WeChat's limits (UTF-8 bytes)
NEEDS = {"click": "key", "view": "url", "scancode_push": "key", "scancode_waitmsg": "key",
         "pic_sysphoto": "key", "pic_photo_or_album": "key", "pic_weixin": "key", "location_select": "key"}


def build_menu(cfg: dict) -> dict[str, Any]:
    return {"button": cfg["menu"]["buttons"] or DEFAULT_BUTTONS}


def problems(menu: dict[str, Any]) -> list[str]:
    """What WeChat would refuse, in Chinese for the operator (empty: fine)."""
    buttons = menu.get("button") or []
    found = [] if 1 <= len(buttons) <= 3 else ["一级菜单须为 1 到 3 个"]
    for button in buttons:
        found += _button_problems(button, TOP_NAME_BYTES)
        subs = button.get("sub_button")
        if subs is not None:
            if not 1 <= len(subs) <= 5:
                found.append(f"“{button.get('name', '')}”的子菜单须为 1 到 5 个")
            for sub in subs:
                found += _button_problems(sub, SUB_NAME_BYTES, leaf=True)
    return found


def _button_problems(button: dict, max_bytes: int, *, leaf: bool = False) -> list[str]:
    name = str(button.get("name", ""))
    found = []
    if not name or len(name.encode("utf-8")) > max_bytes:
        found.append(f"菜单名“{name}”为空或过长（不超过 {max_bytes} 字节）")
    if "sub_button" in button and not leaf:
        return found
    kind = button.get("type")
    if kind not in NEEDS:
        found.append(f"菜单“{name}”的类型“{kind}”不受支持")
    elif not button.get(NEEDS[kind]):
        found.append(f"菜单“{name}”缺少 {NEEDS[kind]}")
    return found
