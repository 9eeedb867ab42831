"""Masking of personal data for lists, exports and logs (张*, 138****1234): the one masking module.

Lives beside the tables so that every layer (handlers, surveys) can mask
without importing a layer above it.
"""
from __future__ import annotations

import hashlib
import hmac
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


# Free text (a complaint's description, a survey's text answer): phones however written.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９＋－（）　", "0123456789+-() ")
_SEP = r"[-\s]?"
PHONE_IN_TEXT = re.compile(
    r"(?<![0-9+])(?P<prefix>(?:\+|00)\s?86\s?-?\s?|\(\+?86\)\s?)?"  # +86 139…, 0086-139…, (86)139…
    rf"(?P<number>1[3-9][0-9]{_SEP}[0-9]{{4}}{_SEP}[0-9]{{4}}"  # 13912345678, 139-1234-5678, 139 1234 5678
    rf"|\(?0[0-9]{{2,3}}\)?{_SEP}[0-9]{{7,8}})(?![0-9])")  # 0311-87654321, (010)12345678
ID_CARD_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


def mask_contacts(text: str | None) -> str:
    """Phones in free text masked like a phone field (+86 139****5678), ID card numbers starred.

    Full-width digits are read as digits (the text comes back with ASCII digits).
    """
    text = (text or "").translate(_FULL_WIDTH)
    text = ID_CARD_IN_TEXT.sub(lambda m: m.group(0)[:4] + "*" * 14, text)
    return PHONE_IN_TEXT.sub(lambda m: (m.group("prefix") or "") + mask_phone(m.group("number")), text)


# Owners' ID numbers (产权人证件号) are kept only as a keyed hash: the same owner of several flats is recognised,
# and nobody holding the database (or a dump of it) can read the numbers back or test guesses without the key.
DEVELOPER_OWNER = "developer"  # the owner marker of unsold developer units: together they are one owner
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^[1-9][0-9]{16}[0-9X]$")


def normalize_id_number(text: str | None) -> str:
    """Spaces dropped, a lower-case check letter raised: ``11010519491231002x`` → ``11010519491231002X``."""
    return "".join((text or "").split()).upper()


def valid_id_number(text: str) -> bool:
    """An 18-character resident ID number (GB 11643) whose check character (ISO 7064 MOD 11-2) is right."""
    if not _ID_SHAPE.match(text):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(text[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == text[17]


def id_number_key(id_number: str, key: str) -> str:
    """HMAC-SHA256 of the normalised ID number under ``[privacy] id_hash_key``, hex (64 characters)."""
    if not key:
        raise ValueError("id_hash_key is not configured")
    message = normalize_id_number(id_number).encode("ascii")
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()
