"""``FakeWeChat``: the fake API served by a threaded werkzeug server in a thread."""
from __future__ import annotations

import threading
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server

from fakewechat.api import FakeApi
from fakewechat.state import State


class QuietHandler(WSGIRequestHandler):
    """No access log: the calls are recorded, and URLs carry tokens."""

    def log_request(self, *args, **kwargs) -> None:
        pass

    def log(self, type: str, message: str, *args) -> None:  # noqa: A002 (werkzeug's signature)
        if type == "error":
            super().log(type, message, *args)


class FakeWeChat:
    """A real HTTP server on loopback that answers like WeChat's API.

    ``go_down()`` closes the listening socket (connection refused) until
    ``come_up()`` binds the same port again; ``/_fake/down`` over HTTP answers
    503 instead, since a closed server could not hear ``/_fake/up``.
    """

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, app_id: str = "wx5e1a0c0ffee2024a",
                 app_secret: str = "dev-app-secret", token_ttl: int = 7200):
        self.host, self.port = host, port
        self.state = State(app_id=app_id, app_secret=app_secret, token_ttl=token_ttl)
        self.app = FakeApi(self.state)
        self._server = None
        self._thread: threading.Thread | None = None

    # lifecycle --------------------------------------------------------------
    def start(self) -> "FakeWeChat":
        self._server = make_server(self.host, self.port, self.app, threaded=True, request_handler=QuietHandler)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"fakewechat:{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = self._thread = None

    def serve_forever(self, on_ready=None) -> None:
        """Serve in the calling thread (``python -m fakewechat``); ``on_ready(url)`` once listening."""
        self._server = make_server(self.host, self.port, self.app, threaded=True, request_handler=QuietHandler)
        self.port = self._server.server_port
        if on_ready is not None:
            on_ready(self.url)
        self._server.serve_forever()

    def go_down(self) -> None:
        self.stop()

    def come_up(self) -> None:
        if self._server is None:
            self.start()

    def __enter__(self) -> "FakeWeChat":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    # control ----------------------------------------------------------------
    @property
    def calls(self) -> list[dict[str, Any]]:
        return self.state.calls_since(0)

    def calls_to(self, path_suffix: str) -> list[dict[str, Any]]:
        return self.state.calls_since(0, path_suffix)

    def add_media(self, data: bytes, content_type: str = "image/jpeg") -> str:
        return self.state.add_media(data, content_type)

    def add_oauth_code(self, code: str, openid: str) -> None:
        self.state.add_oauth_code(code, openid)

    def fail(self, path_suffix: str, errcode: int, times: int = 1) -> None:
        """The next ``times`` calls to a path ending so answer ``errcode`` (500-599: that HTTP status)."""
        self.state.fail(path_suffix, errcode, times)

    def set_delay(self, seconds: float) -> None:
        self.state.delay_s = float(seconds)

    def set_rate_limit(self, per_s: float | None) -> None:
        """Answer 45009 to message sends above ``per_s`` a second (None: unlimited)."""
        self.state.rate_per_s = per_s

    def expire_tokens(self) -> None:
        self.state.expire_tokens()

    def outside_window(self, openid: str) -> None:
        with self.state.lock:
            self.state.outside.add(openid)

    def refuse_subscription(self, openid: str) -> None:
        """subscribe/bizsend -> 43101 for this openid (the resident did not accept the notice)."""
        with self.state.lock:
            self.state.no_subscription.add(openid)

    def reset(self) -> None:
        self.state.reset()

    @property
    def menu(self) -> dict | None:
        return self.state.menu
