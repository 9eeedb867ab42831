"""Photos in a survey form (H5 page, paper ballot entered by a worker).

They take the complaint photo path (``handlers.complaints.photos.process``):
Pillow identifies and verifies the file whatever the client called it (an
HTML page named ``.jpg`` is refused), the pixels are re-encoded as JPEG and
nothing the camera wrote (EXIF, GPS, comments) survives.  Nothing is written
while the form is being read: ``PendingPhotos`` keeps the cleaned bytes and
``write`` stores them once the ballot was accepted, so a refused submission
leaves no file behind.
"""
from __future__ import annotations

import uuid

from flask import Blueprint, current_app, request
from werkzeug.datastructures import FileStorage

from bot.h5.forms import FormProblem
from handlers.complaints.photos import PhotoError, process

PHOTO_LIMIT = 10 * 1024 * 1024  # one phone photo is 2-6 MB
BODY_LIMIT = 24 * 1024 * 1024  # a survey form: a few photos (the app's default is 32 MiB)


class PendingPhotos:
    """Cleaned photos of one submission, keyed for storage, not yet written."""

    def __init__(self, run_id: int, household_id: int):
        self.prefix = f"surveys/{run_id}/{household_id}-"
        self.items: list[tuple[str, bytes]] = []

    def add(self, upload: FileStorage) -> str:
        """Check and clean one upload; its storage key.  Raises FormProblem (Chinese message)."""
        data = upload.read(PHOTO_LIMIT + 1)
        cfg = current_app.config["LINLI"]["complaints"]
        try:
            cleaned = process(data, max_bytes=min(PHOTO_LIMIT, cfg["max_photo_bytes"]),
                              max_pixels=cfg["max_photo_pixels"], max_side=cfg["max_side_px"])
        except PhotoError as exc:
            raise FormProblem("", f"照片无法使用：{exc}。请上传手机拍摄的 JPG 或 PNG 照片") from exc
        key = f"{self.prefix}{uuid.uuid4().hex[:12]}.jpg"
        self.items.append((key, cleaned.data))
        return key

    def write(self, storage) -> None:
        """Store every photo (call once the ballot is accepted, before the commit)."""
        for key, data in self.items:
            storage.put(key, data, "image/jpeg")


def limit_body(bp: Blueprint, endpoints: tuple[str, ...], limit: int = BODY_LIMIT) -> None:
    """Cap the body of these views before anything reads the form (CSRF's check included)."""
    @bp.url_value_preprocessor
    def _limit(endpoint: str | None, values: dict | None) -> None:
        if endpoint in endpoints and request.method == "POST":
            request.max_content_length = limit
