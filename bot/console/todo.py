"""The worker's day: the console home as a to-do list, one section per kind of work.

The extension point is ``SECTIONS``: a provider ``(viewer) -> Section | None``
registered with ``@section``, in a module named in ``SECTION_MODULES`` (imported
on first use).  A provider counts with SQL (one or two grouped queries, never a
loop over rows), returns None when the viewer's role has nothing to do there,
and links each entry to the page where the work is done.  A new kind of work
arrives as a module with one ``@section`` function and a line in ``SECTION_MODULES``
(notices of the day: todo_notices.py; overdue project items: todo_projects.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from importlib import import_module
from typing import Callable

from sqlmodel import Session

# Modules whose providers fill SECTIONS, in the order the home page shows them.
SECTION_MODULES: list[str] = ["bot.console.todo_sections", "bot.console.todo_surveys", "bot.console.todo_notices",
                              "bot.console.todo_projects"]


@dataclass(frozen=True)
class Viewer:
    """Who is looking: role, communities (None: all, admins), department, and the request's session and clock."""

    role: str
    community_ids: frozenset[int] | None
    department_id: int | None
    session: Session
    now: datetime
    settings: dict


@dataclass
class Entry:
    label: str
    url: str
    count: int | None = None
    detail: str = ""


@dataclass
class Section:
    key: str
    title: str
    empty: str  # what the page says when there is nothing to do (Chinese)
    entries: list[Entry] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(e.count or 0 for e in self.entries)


Provider = Callable[[Viewer], "Section | None"]
SECTIONS: list[Provider] = []


def section(provider: Provider) -> Provider:
    """Register a provider (once, even when its module is imported again)."""
    if all(p.__qualname__ != provider.__qualname__ or p.__module__ != provider.__module__ for p in SECTIONS):
        SECTIONS.append(provider)
    return provider


def load() -> list[Provider]:
    for name in SECTION_MODULES:
        import_module(name)
    return SECTIONS


def build(viewer: Viewer) -> list[Section]:
    """The viewer's sections in registration order (providers with nothing for this role are left out)."""
    return [s for s in (provider(viewer) for provider in load()) if s is not None]


def scope(query, column, viewer: Viewer):
    """Limit ``query`` to the viewer's communities (admins: all)."""
    if viewer.community_ids is None:
        return query
    return query.where(column.in_(viewer.community_ids or {-1}))
