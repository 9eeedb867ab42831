"""Masking of personal data for lists, exports and logs (张*, 138****1234).

Lives beside the tables so that every layer (handlers, surveys) can mask
without importing a layer above it.
"""
from __future__ import annotations


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
