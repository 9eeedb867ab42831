"""What a handler gets: the session, settings, the clock, text rendering, the resident."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from sqlmodel import Session

from handlers import replies
from handlers.inbound import Inbound
from models import Resident
from models.outbox import enqueue_text

Renderer = Callable[..., str]


@dataclass
class Services:
    """What the app keeps once per process and hands to handlers (``bot.runtime.services()``)."""

    storage: Any = None  # bot.storage backend: put, get, delete, exists
    complaint_links: Any = None  # makes and reads the signed links of complaint pages
    faq: Any = None  # handlers.faq.cache.IndexCache, made on first use (cache_for)


@dataclass
class Context:
    """Built by the gateway for one inbound message; also buildable in unit tests."""

    session: Session
    settings: dict[str, Any]
    now: datetime  # aware UTC
    render: Renderer  # render("wechat/welcome.txt", **values) -> str
    resident: Resident
    inbound: Inbound
    services: Services = field(default_factory=Services)
    # Read by the gateway with the resident: "conversation" (row or None) and each
    # registry.probe by name.  Absent key: not prefetched, ask the database.
    prefetched: dict[str, Any] = field(default_factory=dict)

    @property
    def openid(self) -> str:
        return self.resident.openid

    def say(self, template: str, **values: Any) -> replies.Reply:
        """A text reply rendered from ``templates/<template>``."""
        return replies.text(self.render(template, **values).strip())

    def later(self, template: str, kind: str = "reply", **values: Any) -> replies.Reply:
        """Answer through the outbox instead of passively (for slow work); replies ``success``."""
        enqueue_text(openid=self.openid, text=self.render(template, **values).strip(), kind=kind, session=self.session)
        return replies.SUCCESS
