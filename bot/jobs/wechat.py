"""WeChat housekeeping: the shared access_token, the backlog of messages acknowledged under load."""
from __future__ import annotations

import time

from flask import current_app

from bot import db
from bot.clock.registry import job
from bot.wechat import pipeline
from bot.wechat.api import get_api


@job("wechat.refresh_token", trigger="interval", minutes=5)
def refresh_token() -> str:
    """Refresh the shared access_token when it expires within clock.token_refresh_ahead_s."""
    ahead = float(current_app.config["LINLI"]["clock"]["token_refresh_ahead_s"])
    token = get_api().refresh_ahead(ahead)
    minutes = int((token.expires_at - time.time()) // 60)
    return f"access token valid for about {minutes} more minutes"


@job("wechat.drain_backlog", trigger="interval", seconds=1, misfire_grace_time=10)
def drain_backlog() -> str | None:
    """Answer messages acknowledged under load (status queued) through the outbox, oldest first."""
    counts = pipeline.drain_backlog(db.session())
    return ", ".join(f"{key} {n}" for key, n in counts.items() if n) or None
