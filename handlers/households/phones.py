"""Chinese phone numbers on a roster: one check and one written form, for imports and the console.

Accepted, with spaces and dashes anywhere (full-width characters too):

- a mobile number: 11 digits starting 13-19, optionally after +86 / 0086;
  written ``13912345678``;
- a landline: an area code (010 and 02x have three digits, every other one
  four: 0311, 0755) and a local number of 7 or 8 digits not starting 0 or 1,
  optionally +86 / 0086 before the area code without its 0, and an
  extension (转, 分机, ext, x, # or a last dash group); written
  ``0311-85551234`` or ``0311-85551234转8001``.

A number without its area code (``85551234``) is refused: the roster is read
far from where it was written.
"""
from __future__ import annotations

import re
import unicodedata

EXTENSION_MARK = "转"
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―－()（）]+")
_EXTENSION = re.compile(r"^(?P<main>.+?)(?:转|分机|ext\.?|x|#)(?P<ext>\d{1,6})$", re.IGNORECASE)
_DASHED_EXTENSION = re.compile(r"^(?P<main>.+?)-(?P<ext>\d{1,6})$")
_COUNTRY = re.compile(r"^(?:\+86|0086)")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_SHORT_AREA = re.compile(r"^0(?:10|2\d)")  # Beijing, and the 02x cities: three-digit area codes
_LOCAL = re.compile(r"^[2-9]\d{6,7}$")
EXAMPLES = "手机号为11位（如 13912345678），固定电话要带区号（如 0311-85551234，分机写在“转”后）"


class PhoneError(ValueError):
    """The text is not a phone number we accept; ``str(error)`` is the Chinese message."""


def normalize_phone(text: str) -> str:
    """The number in its written form (see the module docstring); "" stays "". Raises PhoneError."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    if not raw:
        return ""
    marked = _EXTENSION.match(_SEPARATORS.sub("", raw))
    if marked:
        return _number(text, marked["main"], marked["ext"])
    try:
        return _number(text, raw, "")
    except PhoneError:
        # "0311-85551234-8001": the last dash group is an extension, once the whole is not a number.
        dashed = _DASHED_EXTENSION.match(_SEPARATORS.sub("-", raw).strip("-"))
        if dashed is None:
            raise
        try:
            return _number(text, dashed["main"], dashed["ext"])
        except PhoneError:
            pass
        raise


def _number(text: str, main: str, extension: str) -> str:
    digits = _SEPARATORS.sub("", main)
    had_country = bool(_COUNTRY.match(digits))
    digits = _COUNTRY.sub("", digits)
    if not digits.isdigit():
        raise PhoneError(f"“{text}”含有号码以外的字符；{EXAMPLES}")
    if _MOBILE.match(digits):
        if extension:
            raise PhoneError(f"“{text}”：手机号不能带分机号")
        return digits
    return _landline(text, digits, extension, had_country)


def _landline(text: str, digits: str, extension: str, had_country: bool) -> str:
    if had_country:
        digits = "0" + digits
    if digits.startswith("1"):
        why = "应以13至19开头" if len(digits) == 11 else f"应为11位数字（这里是{len(digits)}位）"
        raise PhoneError(f"“{text}”不是有效的手机号：手机号{why}")
    if not digits.startswith("0"):
        raise PhoneError(f"“{text}”缺少区号：固定电话请写区号，如 0311-85551234")
    area_length = 3 if _SHORT_AREA.match(digits) else 4
    area, local = digits[:area_length], digits[area_length:]
    if not _LOCAL.match(local):
        raise PhoneError(f"“{text}”不是有效的固定电话：区号{area}后应为7或8位号码；{EXAMPLES}")
    return f"{area}-{local}" + (f"{EXTENSION_MARK}{extension}" if extension else "")


def phone_problem(text: str) -> str:
    """The Chinese message for a phone we refuse, or "" when it is fine (or empty)."""
    try:
        normalize_phone(text)
    except PhoneError as error:
        return str(error)
    return ""


def main_number_digits(phone: str) -> str:
    """The digits of the number without its extension (what "the last four digits" means)."""
    return "".join(ch for ch in (phone or "").split(EXTENSION_MARK)[0] if ch.isdigit())
