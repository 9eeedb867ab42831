"""Where a photo's files live in the storage backend (never guessable from outside)."""
from __future__ import annotations

import secrets

from models import ComplaintPhoto


def for_photo(photo: ComplaintPhoto) -> tuple[str, str]:
    """(image key, thumbnail key): complaints/<complaint>/<photo>-<random>.jpg."""
    token = secrets.token_hex(8)
    base = f"complaints/{photo.complaint_id}/{photo.id}-{token}"
    return base + ".jpg", base + "-thumb.jpg"
