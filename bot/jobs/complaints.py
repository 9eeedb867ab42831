"""Complaint jobs: fetch photos, submit quiet drafts, watch the time limits."""
from __future__ import annotations

from bot.clock.registry import job
from bot.complaints.services import current_env
from bot.runtime import services
from handlers.complaints import fetch, intake, sweep


def _download(media_id: str) -> bytes:
    from bot.wechat.api import get_api

    return get_api().get_media(media_id)


@job("complaints.fetch_media", trigger="interval", seconds=20)
def fetch_media() -> str:
    """Download residents' photos from WeChat (retries with backoff; expired after 3 days)."""
    counts = fetch.fetch_pending(env=current_env(), download=_download, storage=services().storage)
    return ", ".join(f"{k} {v}" for k, v in counts.items())


@job("complaints.finalize_intake", trigger="interval", seconds=60)
def finalize_intake() -> str:
    """Submit chat drafts that have been quiet for [complaints] quiet_minutes."""
    counts = intake.finalize_stale(env=current_env())
    return f"submitted {counts['submitted']}, dropped {counts['dropped']}"


@job("complaints.deadlines", trigger="interval", minutes=5)
def deadlines() -> str:
    """Warn at 80% of a time limit, escalate to the supervisor when passed, auto-close stale ones."""
    counts = sweep.run(env=current_env())
    return ", ".join(f"{k} {v}" for k, v in counts.items())
