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


def served(key: str, content_type: str = "image/jpeg"):
    """A stored photo as a response private to the viewer's browser, once the view has checked who may see it
    (404 when it is gone, 503 when the storage cannot be read)."""
    from flask import Response, abort

    try:
        data = runtime.services().storage.get(key)
    except (KeyError, ValueError, TypeError):
        abort(404)
    except OSError:
        abort(503)
    return Response(data, mimetype=content_type,
                    headers={"Cache-Control": "private, max-age=3600", "Content-Disposition": "inline"})


def init_app(app) -> None:
    """Put the configured storage in ``runtime.services(app).storage``."""
    runtime.services(app).storage = from_config(app.config["LINLI"])
