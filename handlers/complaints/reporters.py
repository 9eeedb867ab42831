"""Who reported a complaint, as workers call them back: name, phone, household.

Residents who chat rarely give a name; what identifies them is the household
they are bound to.  The name and phone are the resident's own when a worker
entered them, else the roster's when the resident is bound as the owner; a
family member or tenant is named by their role.  Masking is the caller's
choice (it depends on who reads: ``masked()``).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

from sqlmodel import Session, select

from handlers.households.membership import ROLE_LABELS, describe
from models import Binding, Complaint, Household, Resident
from models.privacy import mask_name, mask_phone


@dataclass(frozen=True)
class Reporter:
    name: str = ""
    phone: str = ""
    household: str = ""  # 1号楼2单元301
    role: str = ""  # 产权人（户主）, 家庭成员, 租户

    def masked(self) -> "Reporter":
        """The same reporter with name and phone masked (张*, 138****1234)."""
        return replace(self, name=mask_name(self.name) if self.name else "",
                       phone=mask_phone(self.phone) if self.phone else "")


def reporters(complaints: Iterable[Complaint], *, session: Session) -> dict[int, Reporter]:
    """complaint id → its reporter (empty for complaints without a resident), in three queries."""
    by_resident = {c.id: c.resident_id for c in complaints if c.resident_id}
    ids = set(by_resident.values()) or {-1}
    people = {r.id: r for r in session.exec(select(Resident).where(Resident.id.in_(ids))).all()}
    bindings = {b.resident_id: b for b in session.exec(
        select(Binding).where(Binding.resident_id.in_(ids), Binding.ended_at.is_(None))
        .order_by(Binding.created_at, Binding.id)).all()}  # the newest binding wins
    homes = {h.id: h for h in session.exec(select(Household).where(
        Household.id.in_({b.household_id for b in bindings.values()} or {-1}))).all()}
    found = {}
    for complaint_id, resident_id in by_resident.items():
        binding = bindings.get(resident_id)
        found[complaint_id] = _reporter(people.get(resident_id), binding,
                                        homes.get(binding.household_id) if binding else None, session=session)
    return found


def _reporter(resident: Resident | None, binding: Binding | None,
              home: Household | None, *, session: Session) -> Reporter:
    owner = home is not None and binding is not None and binding.role == "owner"
    name = (resident.name if resident else "") or (home.owner_name if owner else "")
    phone = (resident.phone if resident else "") or (home.phone if owner else "")
    return Reporter(name=name or "", phone=phone or "", household=describe(home, session=session) if home else "",
                    role=ROLE_LABELS.get(binding.role, "") if binding else "")
