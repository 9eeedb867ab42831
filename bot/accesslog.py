"""gunicorn's access log without bearer tokens (issue 17 item 11).

A resident's ballot link (``/h5/surveys/1?t=…``), a complaint link
(``/c/<token>``, ``/c/photo/<token>``), an Open311 ``api_key=`` and WeChat's
``signature`` / ``msg_signature`` each open something to whoever reads them,
and access logs are read by more people than the database.  The request
line, path, query, Referer (a page's own URL, sent with its images) and the
credential headers are written with those values replaced by ``-``;
gunicorn.conf.py names the class.  nginx needs the same care
(docs/DEPLOYMENT.md, "Access logs"); so does Werkzeug's development server,
whose request lines go through :class:`RedactingFilter`.
"""
from __future__ import annotations

import logging
import re
from urllib.parse import unquote_plus

from gunicorn import glogging

SECRET_PARAMS = frozenset({"t", "token", "api_key", "signature", "msg_signature"})
TOKEN_PATHS = [re.compile(r"^(/c/(?:photo/)?)[^/?#]+")]  # signed complaint links carry the token in the path
SECRET_HEADERS = ("cookie", "authorization", "x-api-key", "set-cookie")
URL_ATOMS = ("{referer}i", "{raw_uri}e", "{request_uri}e")
REDACTED = "-"


def redact_query(query: str) -> str:
    """``a=1&t=secret`` → ``a=1&t=-``; names compared after URL-decoding, case-insensitively."""
    if not query:
        return query
    parts = []
    for part in query.split("&"):
        name, eq, _value = part.partition("=")
        parts.append(f"{name}={REDACTED}" if eq and unquote_plus(name).strip().lower() in SECRET_PARAMS else part)
    return "&".join(parts)


def redact_path(path: str) -> str:
    for pattern in TOKEN_PATHS:
        path = pattern.sub(lambda m: m.group(1) + REDACTED, path)
    return path


def redact_target(target: str) -> str:
    """A request target (``/path?query``), or a full URL such as a Referer, without its tokens."""
    prefix = ""
    if "://" in target:
        start = target.find("/", target.index("://") + 3)
        if start < 0:
            return target
        prefix, target = target[:start], target[start:]
    path, sep, query = target.partition("?")
    return prefix + redact_path(path) + sep + redact_query(query)


class RedactingLogger(glogging.Logger):
    """gunicorn's logger whose access-log atoms carry no token (any ``access_log_format``)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["r"] = "%s %s %s" % (environ.get("REQUEST_METHOD"), redact_target(environ.get("RAW_URI", "")),
                                   environ.get("SERVER_PROTOCOL"))
        atoms["U"] = redact_path(environ.get("PATH_INFO") or "")
        atoms["q"] = redact_query(environ.get("QUERY_STRING") or "")
        atoms["f"] = redact_target(environ.get("HTTP_REFERER", "-"))
        for key in list(atoms):
            if not key.startswith("{"):
                continue
            name = key[1:-2].replace("_", "-")
            if any(name.endswith(secret) for secret in SECRET_HEADERS):
                atoms[key] = REDACTED
            elif key in URL_ATOMS:
                atoms[key] = redact_target(str(atoms[key]))
            elif key in ("{query_string}e", "{path_info}e"):
                atoms[key] = atoms["q"] if key == "{query_string}e" else atoms["U"]
        return atoms


class RedactingFilter(logging.Filter):
    """For the ``werkzeug`` logger: the development server's request line without tokens.

    Werkzeug logs ``'"%s" %s %s'`` with the request line (``GET /path?query
    HTTP/1.1``, maybe wrapped in colour codes) as the first argument.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
            parts = record.args[0].split(" ")
            if len(parts) >= 3:
                parts[1] = redact_target(parts[1])
                record.args = (" ".join(parts),) + record.args[1:]
        return True


WERKZEUG_FILTER = RedactingFilter()


def install_werkzeug_filter() -> None:
    """Once per process (``addFilter`` ignores the same object twice)."""
    logging.getLogger("werkzeug").addFilter(WERKZEUG_FILTER)
