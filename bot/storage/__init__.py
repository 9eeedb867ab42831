"""Where photo files live: a registry of backends keyed by ``[media] backend``.

Every backend has ``put(key, data, content_type)``, ``get(key) -> bytes``
(raises KeyError when absent), ``delete(key)`` and ``exists(key)``.  Keys are
relative paths such as ``complaints/42/7-ab12.jpg``; nothing here is served as
static files: views check who may see a photo, then stream ``get``.
"""
from __future__ import annotations

from bot import runtime
from bot.storage.local import LocalStorage  # noqa: F401 (re-exported)
from bot.storage.s3 import S3Storage

STORAGES = {"local": LocalStorage, "s3": S3Storage}


class StorageConfigError(RuntimeError):
    pass


def from_config(cfg: dict):
    """The backend named by ``cfg["media"]["backend"]``, built from the ``[media]`` section."""
    media = cfg["media"]
    backend = STORAGES.get(media.get("backend", "local"))
    if backend is None:
        raise StorageConfigError(f"config: media.backend must be one of {', '.join(STORAGES)}")
    return backend.from_config(media)


def init_app(app) -> None:
    """Put the configured storage in ``runtime.services(app).storage``."""
    runtime.services(app).storage = from_config(app.config["LINLI"])
