"""What complaint services need from the outside, passed in (no Flask here)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Optional

from sqlmodel import Session

from handlers.complaints.calendar import WorkCalendar
from handlers.complaints.config import ComplaintSettings, complaint_settings

Renderer = Callable[..., str]
# link(kind, complaint, photo=None, openid=None) -> absolute URL or "" (signed by bot/)
LinkMaker = Callable[..., str]


@dataclass(frozen=True)
class Actor:
    """Who moves a complaint: ``role`` is resident, worker, department, admin or system."""

    name: str
    role: str
    department_id: Optional[int] = None

    @classmethod
    def resident(cls, resident_id: int) -> "Actor":
        return cls(f"resident:{resident_id}", "resident")


SYSTEM = Actor("system", "system")


@dataclass
class Env:
    session: Session
    settings: dict[str, Any]  # the whole configuration
    now: datetime  # aware UTC
    render: Renderer
    link: Optional[LinkMaker] = None
    _calendar: Optional[WorkCalendar] = field(default=None, repr=False)

    @property
    def cfg(self) -> ComplaintSettings:
        return complaint_settings(self.settings)

    @property
    def calendar(self) -> WorkCalendar:
        if self._calendar is None:
            self._calendar = WorkCalendar.from_session(self.cfg.calendar_file or None, session=self.session)
        return self._calendar

    def url(self, kind: str, complaint, **kw) -> str:
        return self.link(kind, complaint, **kw) if self.link else ""


def from_context(ctx) -> Env:
    """An Env for a chat handler's Context."""
    return Env(session=ctx.session, settings=ctx.settings, now=ctx.now, render=ctx.render,
               link=ctx.services.complaint_links)
