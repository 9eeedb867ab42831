"""``/wechat``: what WeChat's servers call.

GET verifies the URL.  POST checks freshness and signature, parses (and in
safe mode decrypts), records the message once, dispatches it to ``handlers``
and renders the passive reply.  Every refusal is a 4xx with nothing recorded;
a handler's crash is answered politely and the message is kept.
"""
from __future__ import annotations

import logging
import secrets

from flask import Blueprint, Response, abort, current_app, request
from werkzeug.exceptions import HTTPException

from bot import serving
from bot.wechat import crypto, xmlcodec
from bot.wechat.pipeline import handle_inbound
from handlers import inbound as inbound_mod
from handlers.replies import Reply

log = logging.getLogger(__name__)
bp = Blueprint("wechat", __name__)


def wechat_settings() -> dict:
    return current_app.config["LINLI"]["wechat"]


def now_ts() -> float:
    return current_app.extensions["linli.clock"]()


def refuse(status: int, reason: str):
    log.info("wechat: refused %s: %s", status, reason)
    abort(Response(reason, status=status, mimetype="text/plain"))


def check_fresh(timestamp: str) -> None:
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        refuse(403, "missing or malformed timestamp")
    tolerance = float(wechat_settings()["timestamp_tolerance_s"])
    if abs(now_ts() - int(timestamp)) > tolerance:
        refuse(403, "stale timestamp")


@bp.get("/wechat")
def verify_url():
    q = request.args
    timestamp, nonce = q.get("timestamp", ""), q.get("nonce", "")
    check_fresh(timestamp)
    if not crypto.check_signature(q.get("signature", ""), wechat_settings()["token"], timestamp, nonce):
        refuse(403, "bad signature")
    return Response(q.get("echostr", ""), mimetype="text/plain")


@bp.post("/wechat")
def receive():
    cfg = wechat_settings()
    request.max_content_length = int(cfg["max_body_bytes"])
    q = request.args
    timestamp, nonce = q.get("timestamp", ""), q.get("nonce", "")
    check_fresh(timestamp)
    envelope = current_app.extensions.get("linli.envelope")
    encrypted = reads_encrypted(cfg["message_mode"], q.get("encrypt_type", "raw"))
    if not encrypted and not crypto.check_signature(q.get("signature", ""), cfg["token"], timestamp, nonce):
        refuse(403, "bad signature")
    body = request.get_data(cache=False)  # 413 past max_content_length
    fields = parse_body(body, encrypted, envelope, timestamp, nonce)
    try:
        message = inbound_mod.parse(fields)
    except inbound_mod.InboundError as exc:
        refuse(400, f"malformed message: {exc}")
    reply = handle_inbound(message, now=now_ts(), waited=serving.waited_s(request.environ))
    return render(reply, message, encrypted, envelope, nonce)


def reads_encrypted(mode: str, encrypt_type: str) -> bool:
    """Whether this POST is read from its ``Encrypt``; refuses what the configured mode does not accept.

    ``signature`` covers only token, timestamp and nonce, never the body: in
    safe mode a plaintext POST (no ``encrypt_type``, or ``raw``) is refused,
    or anyone who saw one signed URL could post any body for
    ``timestamp_tolerance_s`` (issue 17 item 2).  Compatible mode, for a
    migration, still takes both; plaintext mode reads the plain fields.
    """
    asked = encrypt_type.lower() == "aes"
    if mode == "plaintext":
        return False
    if mode == "safe" and not asked:
        refuse(403, "safe mode: only encrypt_type=aes with msg_signature is accepted")
    return asked


def parse_body(body: bytes, encrypted: bool, envelope, timestamp: str, nonce: str) -> dict:
    try:
        fields = xmlcodec.parse(body)
    except xmlcodec.XmlError as exc:
        refuse(400, f"malformed XML: {exc}")
    if not encrypted:
        return fields
    token = wechat_settings()["token"]
    encrypt = fields.get("Encrypt")
    if not isinstance(encrypt, str) or not encrypt:
        refuse(400, "safe mode message without Encrypt")
    if not crypto.check_signature(request.args.get("msg_signature", ""), token, timestamp, nonce, encrypt):
        refuse(403, "bad msg_signature")
    try:
        inner = envelope.decrypt(encrypt)
    except crypto.CryptoError as exc:
        refuse(403 if "AppID" in str(exc) else 400, f"cannot decrypt: {exc}")
    try:
        return xmlcodec.parse(inner.encode("utf-8"))
    except xmlcodec.XmlError as exc:
        refuse(400, f"malformed inner XML: {exc}")


def render(reply: Reply, message, encrypted: bool, envelope, nonce: str) -> Response:
    if reply.type == "success":
        return Response("success", mimetype="text/plain")
    now = int(now_ts())
    xml = xmlcodec.render_reply(reply, to_user=message.openid, from_user=message.account, now=now)
    if encrypted:
        encrypt = envelope.encrypt(xml)
        reply_nonce = nonce or secrets.token_hex(8)
        sig = crypto.signature(wechat_settings()["token"], str(now), reply_nonce, encrypt)
        xml = xmlcodec.render_encrypted(encrypt, sig, str(now), reply_nonce)
    return Response(xml, mimetype="application/xml")


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    """Keep WeChat's refusals short and plain (no HTML error pages)."""
    if isinstance(exc.response, Response):
        return exc.response
    return Response(exc.description or exc.name, status=exc.code, mimetype="text/plain")

