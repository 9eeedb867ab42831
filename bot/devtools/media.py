"""Put a local image into the fake WeChat API so it has a MediaId to serve."""
from __future__ import annotations

from pathlib import Path

import requests


def upload_to_fake_api(api_base_url: str, path: str) -> str:
    with Path(path).open("rb") as fh:
        resp = requests.post(api_base_url.rstrip("/") + "/_fake/media", files={"media": fh}, timeout=10)
    resp.raise_for_status()
    return resp.json()["media_id"]
