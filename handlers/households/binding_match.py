"""Understanding what a resident types during binding: numbers, buildings, rooms, answers."""
from __future__ import annotations

import re
import unicodedata

from handlers.cn_numbers import arabic
from handlers.households.roster_rows import canonical_building, canonical_room, canonical_unit
from handlers.households.phones import main_number_digits  # noqa: I001 (after roster_rows: fewer merge conflicts)
from models import Household

_PICK = re.compile(r"^第?(\d+)(?:个|项|条)?$")
_UNIT_ROOM = re.compile(r"^(?:(\d+)\s*(?:单元|-|－|—|/)\s*)?(\w+?)\s*(?:室|号)?$")


def clean(text: str | None) -> str:
    """Full-width digits and letters become ASCII; blanks trimmed."""
    return unicodedata.normalize("NFKC", text or "").strip()


def pick_number(text: str, count: int) -> int | None:
    """A 1-based choice among ``count`` items (2, 二, 第二个), as a 0-based index, or None."""
    text = _PICK.sub(r"\1", arabic(clean(text)).rstrip(".、。"))
    if text.isdigit() and 1 <= int(text) <= count:
        return int(text) - 1
    return None


def same_building(typed: str, name: str) -> bool:
    """三号楼, 3号楼, 3栋 and 3 name the same building."""
    spoken = arabic(clean(typed)).replace(" ", "")
    return canonical_building(spoken) == canonical_building(name) or clean(typed) == name


def parse_unit_room(text: str) -> tuple[str | None, str] | None:
    """``2单元301``, ``2-301``, ``301`` or spoken ``二单元三零一`` → (unit or None, room)."""
    compact = arabic(clean(text)).replace(" ", "")
    match = _UNIT_ROOM.match(compact)
    if not match:
        return None
    unit, room = match.groups()
    return (canonical_unit(unit) if unit else None), canonical_room(room)


def phone_digits(household: Household) -> str:
    """The roster number's digits without an extension (its last four verify a binding)."""
    return main_number_digits(household.phone)


def proof_of(answer: str, household: Household) -> str | None:
    """What the answer matches on the roster: "name" (the owner's name), "phone" (its last four digits), or None."""
    answer = clean(answer).replace(" ", "")
    if not answer:
        return None
    name = (household.owner_name or "").replace(" ", "")
    if name and answer == name:
        return "name"
    digits = phone_digits(household)
    if len(answer) == 4 and answer.isdigit() and len(digits) >= 4 and digits[-4:] == answer:
        return "phone"
    return None


def has_roster_identity(household: Household) -> bool:
    return bool((household.owner_name or "").strip() or any(ch.isdigit() for ch in household.phone or ""))
