"""Fetch residents' photos from WeChat by MediaId (run by the clock, never in a request).

Temporary media live 3 days: a photo is tried promptly, retried with backoff
while that lasts, then marked expired.  A failure never touches the complaint
itself; it shows "照片待获取" until the photo arrives.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Callable

from sqlmodel import or_, select

from handlers.complaints import photos, storage_keys
from handlers.complaints.env import Env
from models import Complaint, ComplaintPhoto

log = logging.getLogger(__name__)
Download = Callable[[str], bytes]


def fetch_pending(*, env: Env, download: Download, storage) -> dict[str, int]:
    """One pass over due photos; returns counts by outcome."""
    due = env.session.exec(select(ComplaintPhoto).where(
        ComplaintPhoto.status == "pending", ComplaintPhoto.media_id.is_not(None),
        or_(ComplaintPhoto.next_attempt_at.is_(None), ComplaintPhoto.next_attempt_at <= env.now))
        .order_by(ComplaintPhoto.next_attempt_at).limit(env.cfg.fetch_batch)).all()
    counts = {"stored": 0, "retry": 0, "expired": 0, "invalid": 0}
    for photo in due:
        counts[fetch_one(photo, env=env, download=download, storage=storage)] += 1
    env.session.flush()
    return counts


def fetch_one(photo: ComplaintPhoto, *, env: Env, download: Download, storage) -> str:
    if env.now - photo.received_at > timedelta(days=env.cfg.media_expire_days):
        photo.status, photo.last_error, photo.next_attempt_at = "expired", "媒体文件已过期", None
        env.session.add(photo)
        return "expired"
    photo.attempts += 1
    try:
        data = download(photo.media_id)
    except Exception as exc:  # noqa: BLE001 - any transport or API failure is retried
        return _retry(photo, env, f"download: {type(exc).__name__}: {exc}")
    try:
        store_processed(photo, data, env=env, storage=storage)
    except photos.PhotoError as exc:
        photo.status, photo.last_error, photo.next_attempt_at = "invalid", str(exc)[:200], None
        env.session.add(photo)
        return "invalid"
    except OSError as exc:  # storage unavailable: try again later
        return _retry(photo, env, f"storage: {exc}")
    return "stored"


def store_processed(photo: ComplaintPhoto, data: bytes, *, env: Env, storage) -> None:
    """Clean ``data`` (photos.process), store image and thumbnail, take GPS into the complaint."""
    cfg = env.cfg
    done = photos.process(data, max_bytes=cfg.max_photo_bytes, max_pixels=cfg.max_photo_pixels,
                          max_side=cfg.max_side_px, thumb_side=cfg.thumb_px)
    if photo.id is None:
        env.session.add(photo)
        env.session.flush()
    key, thumb_key = storage_keys.for_photo(photo)
    storage.put(key, done.data, content_type=done.content_type)
    storage.put(thumb_key, done.thumb, content_type=done.content_type)
    photo.storage_key, photo.thumb_key, photo.content_type = key, thumb_key, done.content_type
    photo.width, photo.height, photo.status = done.width, done.height, "stored"
    photo.stored_at, photo.next_attempt_at, photo.last_error = env.now, None, None
    complaint = env.session.get(Complaint, photo.complaint_id)
    if done.gps and complaint is not None and complaint.latitude is None and photo.kind == "before":
        complaint.latitude, complaint.longitude = done.gps
        complaint.location_source = "photo"
        env.session.add(complaint)
    env.session.add(photo)


def _retry(photo: ComplaintPhoto, env: Env, error: str) -> str:
    cfg = env.cfg
    delay = min(cfg.fetch_backoff_s * 2 ** (photo.attempts - 1), cfg.fetch_backoff_max_s)
    photo.next_attempt_at = env.now + timedelta(seconds=delay)
    photo.last_error = error[:200]
    env.session.add(photo)
    log.info("complaints: photo %s fetch failed (attempt %s), next in %ss", photo.id, photo.attempts, delay)
    return "retry"
