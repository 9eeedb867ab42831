"""FAQ jobs: roll the answer log up into each entry's popularity count."""
from __future__ import annotations

from bot import db
from bot.clock.registry import job
from handlers.faq import service


@job("faq.rollup_hits", trigger="interval", minutes=10)
def rollup_hits() -> str:
    """Add logged answers to FaqEntry.hits (the popular-questions menu); idempotent."""
    added = service.roll_up_hits(session=db.session())
    return f"rolled up {added} answers"
