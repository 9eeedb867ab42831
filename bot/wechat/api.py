"""The WeChat API client: wechatpy underneath, one shared token, WeChat's errors as one exception.

``get_api()`` (inside an app context) returns the app's client.  Every call
takes the shared access_token from ``bot.wechat.tokens``; an answer of
40001 / 40014 / 42001 refreshes it once (under the store's lock, so six
processes meeting an expired token cause one refresh, not six) and retries
once.  Transport failures become ``WeChatApiError`` too: ``NETWORK_ERROR``
for timeouts and refused connections, ``HTTP_ERROR`` (with ``http_status``)
for non-200 answers.  Nothing here logs tokens, secrets or message content.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Callable

import requests
from flask import current_app
from wechatpy import WeChatClient, WeChatOAuth
from wechatpy.exceptions import WeChatException

from bot.wechat.tokens import Token, TokenStore, make_store

log = logging.getLogger(__name__)

TOKEN_ERRORS = frozenset({40001, 40014, 42001})
NETWORK_ERROR = -1001  # timeout, refused or reset connection
HTTP_ERROR = -1002  # a non-200 HTTP answer
UNEXPECTED = -1003  # an answer we cannot read
TRANSIENT_ERRORS = frozenset({-1, 45009, NETWORK_ERROR})
TOKEN_MARGIN_S = 60  # a token this close to expiry is refreshed before use


class WeChatApiError(Exception):
    """WeChat (or the way to it) refused: ``errcode`` is WeChat's code or one of ours (negative)."""

    def __init__(self, errcode: int, errmsg: str, *, http_status: int | None = None, token_fetch: bool = False):
        super().__init__(f"{errcode}: {errmsg}")
        self.errcode, self.errmsg, self.http_status, self.token_fetch = errcode, errmsg, http_status, token_fetch

    @property
    def transient(self) -> bool:
        """Worth retrying later (rate limits, WeChat busy, 5xx, network, no token: nothing is the message's fault)."""
        return self.token_fetch or self.errcode in TRANSIENT_ERRORS or (self.http_status or 0) >= 500


class _Client(WeChatClient):
    """wechatpy's client with tokens coming only from our shared store."""

    def __init__(self, api: "WeChatApi", app_id: str, secret: str, timeout: float):
        super().__init__(app_id, secret, timeout=timeout, auto_retry=False)
        self._api = api

    @property
    def access_token(self) -> str:
        return self._api.token()

    def fetch_access_token(self):  # wechatpy's unshared refresh must never run
        raise RuntimeError("access tokens come from bot.wechat.tokens")


class WeChatApi:
    def __init__(self, *, app_id: str, app_secret: str, base_url: str, timeout_s: float, store: TokenStore):
        self.app_id, self._secret, self.timeout_s, self.store = app_id, app_secret, timeout_s, store
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self._client = _Client(self, app_id, app_secret, timeout_s)
        self._client.API_BASE_URL = self.base_url + "cgi-bin/"

    # the token ----------------------------------------------------------------
    def token(self, stale: str | None = None) -> str:
        """A usable token; ``stale`` names one WeChat just refused."""
        if stale is None:
            current = self.store.read()
            if current is not None and current.fresh(TOKEN_MARGIN_S):
                return current.value
        return self.store.refresh(stale, self._fetch_token, TOKEN_MARGIN_S).value

    def refresh_ahead(self, ahead_s: float) -> Token:
        """Refresh the shared token if it expires within ``ahead_s`` (the clock's job)."""
        current = self.store.read()
        if current is not None and current.fresh(ahead_s):
            return current
        return self.store.refresh(current.value if current else None, self._fetch_token, ahead_s)

    def _fetch_token(self) -> Token:
        try:
            body = self._token_request()
        except WeChatApiError as exc:
            log.error("wechat: cannot get an access token: %s %s", exc.errcode, exc.errmsg)
            raise WeChatApiError(exc.errcode, exc.errmsg, http_status=exc.http_status, token_fetch=True) from None
        log.info("wechat: fetched a new access token (expires in %ss)", body.get("expires_in"))
        return Token(body["access_token"], time.time() + int(body.get("expires_in", 7200)))

    def _token_request(self) -> dict:
        params = {"grant_type": "client_credential", "appid": self.app_id, "secret": self._secret}
        body = _json_of(_transport(lambda: self._client._http.get(self.base_url + "cgi-bin/token", params=params,
                                                                  timeout=self.timeout_s)))
        if body.get("errcode"):
            raise WeChatApiError(int(body["errcode"]), str(body.get("errmsg", "")))
        return body

    # calls ------------------------------------------------------------------------
    def send_custom(self, openid: str, payload: dict[str, Any]) -> dict:
        """A customer-service message (only within 48 h of the resident's last interaction)."""
        return self._call("post", "message/custom/send", data=custom_body(openid, payload))

    def send_template(self, openid: str, template_id: str, data: dict[str, Any], url: str | None = None) -> dict:
        body: dict[str, Any] = {"touser": openid, "template_id": template_id, "data": _fields(data)}
        if url:
            body["url"] = url
        return self._call("post", "message/template/send", data=body)

    def send_subscription(self, openid: str, template_id: str, data: dict[str, Any], page: str | None = None) -> dict:
        """A subscription notice (订阅通知), for residents who accepted that notice."""
        body: dict[str, Any] = {"touser": openid, "template_id": template_id, "data": _fields(data)}
        if page:
            body["page"] = page
        return self._call("post", "message/subscribe/bizsend", data=body)

    def get_media(self, media_id: str) -> bytes:
        """A temporary media file's bytes (WeChat keeps them for three days)."""
        result = self._call("get", "media/get", params={"media_id": media_id})
        if isinstance(result, requests.Response):
            return result.content
        raise WeChatApiError(UNEXPECTED, "media/get answered JSON, not a file")

    def create_menu(self, menu: dict[str, Any]) -> dict:
        return self._call("post", "menu/create", data=menu)

    def oauth_openid(self, code: str) -> str:
        """The openid behind an OAuth2 ``code`` (H5 pages)."""
        oauth = WeChatOAuth(self.app_id, self._secret, redirect_uri="")
        oauth.API_BASE_URL = self.base_url
        params = {"appid": self.app_id, "secret": self._secret, "code": code, "grant_type": "authorization_code"}
        return _transport(lambda: oauth._get("sns/oauth2/access_token", params=params, timeout=self.timeout_s))["openid"]

    def _call(self, method: str, endpoint: str, *, params: dict | None = None, **kwargs) -> Any:
        token = self.token()
        try:
            return self._raw(method, endpoint, token, params, kwargs)
        except WeChatApiError as exc:
            if exc.errcode not in TOKEN_ERRORS:
                raise
            log.info("wechat: %s refused the token (%s); refreshing once", endpoint, exc.errcode)
        return self._raw(method, endpoint, self.token(stale=token), params, kwargs)

    def _raw(self, method: str, endpoint: str, token: str, params: dict | None, kwargs: dict) -> Any:
        params = {**(params or {}), "access_token": token}
        return _transport(lambda: self._client._request(method, endpoint, params=params, **dict(kwargs)))


def _transport(call: Callable[[], Any]) -> Any:
    """Run a wechatpy/requests call, turning every failure into WeChatApiError."""
    try:
        return call()
    except WeChatException as exc:
        if exc.errcode is None:
            status = getattr(exc.response, "status_code", None)
            raise WeChatApiError(HTTP_ERROR, f"HTTP {status}", http_status=status) from None
        raise WeChatApiError(int(exc.errcode), str(exc.errmsg)) from None
    except requests.Timeout:
        raise WeChatApiError(NETWORK_ERROR, "timeout") from None
    except requests.RequestException as exc:
        raise WeChatApiError(NETWORK_ERROR, type(exc).__name__) from None


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    """Template/subscription fields: plain values become {"value": ...}."""
    return {k: v if isinstance(v, dict) else {"value": str(v)} for k, v in data.items()}


def _json_of(response: requests.Response) -> dict:
    if response.status_code != 200:
        raise WeChatApiError(HTTP_ERROR, f"HTTP {response.status_code}", http_status=response.status_code)
    try:
        return response.json()
    except ValueError:
        raise WeChatApiError(UNEXPECTED, "not JSON") from None


def custom_body(openid: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The message/custom/send body for an outbox payload ({"text"}, {"news"} or {"image"})."""
    if "text" in payload:
        return {"touser": openid, "msgtype": "text", "text": {"content": payload["text"]}}
    if "news" in payload:
        articles = [{k: a.get(k, "") for k in ("title", "description", "url", "picurl")} for a in payload["news"]]
        return {"touser": openid, "msgtype": "news", "news": {"articles": articles}}
    if "image" in payload:
        return {"touser": openid, "msgtype": "image", "image": {"media_id": payload["image"]}}
    raise ValueError("outbox payload has no text, news or image")


def build_api(cfg: dict, engine) -> WeChatApi:
    wechat = cfg["wechat"]
    return WeChatApi(app_id=wechat["app_id"], app_secret=wechat["app_secret"], base_url=wechat["api_base_url"],
                     timeout_s=float(wechat["api_timeout_s"]), store=make_store(cfg, engine))


def get_api() -> WeChatApi:
    """The current app's WeChat API client (created on first use)."""
    app = current_app._get_current_object()
    api = app.extensions.get("linli.wechat_api")
    if api is None:
        api = app.extensions.setdefault("linli.wechat_api", build_api(app.config["LINLI"], app.extensions["linli.engine"]))
    return api
