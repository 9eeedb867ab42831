"""Masking of personal data for lists, exports and logs (张*, 138****1234).

Lives beside the tables so that every layer (handlers, surveys) can mask
without importing a layer above it.
"""
from __future__ import annotations

import re


def mask_name(name: str | None) -> str:
    """Keep the family name (first character), star the rest: 张三丰 → 张**."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_phone(phone: str | None) -> str:
    """Keep the first three and last four digits: 13812341234 → 138****1234."""
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    if not digits:
        return ""
    if len(digits) <= 4:
        return "*" * len(digits)
    if len(digits) < 8:
        return "*" * (len(digits) - 4) + digits[-4:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


_PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def mask_contacts(text: str | None) -> str:
    """Free text with phone numbers masked (138****1234) and ID card numbers starred."""
    text = _ID_CARD.sub(lambda m: m.group(0)[:4] + "*" * 14, text or "")
    return _PHONE.sub(lambda m: mask_phone(m.group(0)), text)
