"""Put a local image into the fake WeChat API so it has a MediaId to serve."""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import requests


def upload_to_fake_api(api_base_url: str, path: str) -> str:
    with Path(path).open("rb") as fh:
        return upload_stream(api_base_url, fh, Path(path).name)


def upload_stream(api_base_url: str, stream: BinaryIO, filename: str = "photo.jpg",
                  mimetype: str = "image/jpeg") -> str:
    """POST ``stream`` to the fake's ``/_fake/media``; returns the MediaId it assigned."""
    resp = requests.post(api_base_url.rstrip("/") + "/_fake/media",
                         files={"media": (filename, stream, mimetype)}, timeout=10)
    resp.raise_for_status()
    return resp.json()["media_id"]
