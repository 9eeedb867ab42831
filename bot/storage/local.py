"""A directory on local disk (the default): ``[media] dir``."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


class LocalStorage:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root).resolve()

    @classmethod
    def from_config(cls, media: dict) -> "LocalStorage":
        return cls(media["dir"])

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not key or key.startswith("/") or self.root not in path.parents:
            raise ValueError(f"storage key outside the media directory: {key!r}")
        return path

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise KeyError(key) from exc

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()
