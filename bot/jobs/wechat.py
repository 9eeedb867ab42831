"""WeChat housekeeping: refresh the shared access_token ahead of its expiry."""
from __future__ import annotations

import time

from flask import current_app

from bot.clock.registry import job
from bot.wechat.api import get_api


@job("wechat.refresh_token", trigger="interval", minutes=5)
def refresh_token() -> str:
    """Refresh the shared access_token when it expires within clock.token_refresh_ahead_s."""
    ahead = float(current_app.config["LINLI"]["clock"]["token_refresh_ahead_s"])
    token = get_api().refresh_ahead(ahead)
    minutes = int((token.expires_at - time.time()) // 60)
    return f"access token valid for about {minutes} more minutes"
