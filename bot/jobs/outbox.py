"""The outbox delivery job (every ``clock.deliver_every_s`` seconds in the clock process)."""
from __future__ import annotations

from flask import current_app

from bot import db
from bot.clock.registry import job
from bot.outbound import delivery
from bot.outbound.ratelimit import TokenBucket, make_bucket
from bot.wechat.api import get_api


def bucket() -> TokenBucket:
    """The process's (or Redis's) token bucket, kept for the app's lifetime."""
    app = current_app._get_current_object()
    found = app.extensions.get("linli.outbox_bucket")
    if found is None:
        found = app.extensions.setdefault("linli.outbox_bucket", make_bucket(app.config["LINLI"]))
    return found


def build_delivery() -> delivery.Delivery:
    app = current_app._get_current_object()
    return delivery.Delivery(api=get_api(), bucket=bucket(), settings=app.config["LINLI"]["outbox"],
                             clock=app.extensions["linli.clock"])


@job("outbox.deliver", trigger="interval", seconds=3, misfire_grace_time=10)
def deliver() -> str | None:
    """Send due outbox messages to residents (customer-service, template fallback, or wait)."""
    summary = delivery.run(build_delivery(), session=db.session())
    return ", ".join(f"{key} {n}" for key, n in sorted(summary.items())) or None
