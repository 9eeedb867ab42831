"""Personal data out of free text before it leaves the staff console (exports, Open311)."""
from __future__ import annotations

import re

from models.privacy import mask_phone

PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
ID_CARD = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def mask_contacts(text: str) -> str:
    """Phone numbers masked (138****1234), ID card numbers starred."""
    text = ID_CARD.sub(lambda m: m.group(0)[:4] + "*" * 14, text or "")
    return PHONE.sub(lambda m: mask_phone(m.group(0)), text)
