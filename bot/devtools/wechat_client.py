"""Talk to ``/wechat`` the way WeChat's servers do: signed, optionally encrypted.

Used by the simulator and the tests.  ``transport`` is a callable
``(query: dict, body: bytes) -> (status, text)`` so the same client drives
a Flask test client or a real HTTP server.
"""
from __future__ import annotations

import itertools
import secrets
import time
from dataclasses import dataclass, field
from typing import Callable
from xml.sax.saxutils import escape

from bot.wechat import crypto, xmlcodec

Transport = Callable[[dict, bytes], tuple[int, str]]
_msg_ids = itertools.count(int(time.time() * 1000) * 1000)


@dataclass
class SimulatedWeChat:
    transport: Transport
    token: str
    app_id: str
    account: str = "gh_0a1b2c3d4e5f"
    encoding_aes_key: str = ""
    clock: Callable[[], float] = time.time
    history: list = field(default_factory=list)

    def send_fields(self, openid: str, msg_type: str, fields: dict, *, msg_id: int | None = None,
                    create_time: int | None = None) -> tuple[int, dict | str]:
        create_time = create_time or int(self.clock())
        parts = [f"<ToUserName>{xmlcodec.cdata(self.account)}</ToUserName>",
                 f"<FromUserName>{xmlcodec.cdata(openid)}</FromUserName>",
                 f"<CreateTime>{create_time}</CreateTime>", f"<MsgType>{xmlcodec.cdata(msg_type)}</MsgType>"]
        parts += [f"<{k}>{xmlcodec.cdata(str(v))}</{k}>" for k, v in fields.items()]
        if msg_type != "event":
            parts.append(f"<MsgId>{msg_id or next(_msg_ids)}</MsgId>")
        return self.post_xml("<xml>" + "".join(parts) + "</xml>")

    def post_xml(self, xml: str) -> tuple[int, dict | str]:
        timestamp, nonce = str(int(self.clock())), secrets.token_hex(5)
        query = {"timestamp": timestamp, "nonce": nonce,
                 "signature": crypto.signature(self.token, timestamp, nonce)}
        body = xml
        if self.encoding_aes_key:
            envelope = crypto.Envelope(self.encoding_aes_key, self.app_id)
            encrypt = envelope.encrypt(xml)
            query.update(encrypt_type="aes", msg_signature=crypto.signature(self.token, timestamp, nonce, encrypt))
            body = f"<xml><ToUserName>{xmlcodec.cdata(self.account)}</ToUserName><Encrypt>{escape(encrypt)}</Encrypt></xml>"
        status, text = self.transport(query, body.encode("utf-8"))
        reply = self.decode_reply(text) if status == 200 else text
        self.history.append((xml, status, reply))
        return status, reply

    def decode_reply(self, text: str) -> dict | str:
        if text in ("", "success"):
            return text
        fields = xmlcodec.parse(text.encode("utf-8"))
        if "Encrypt" in fields:
            envelope = crypto.Envelope(self.encoding_aes_key, self.app_id)
            if not crypto.check_signature(fields.get("MsgSignature", ""), self.token, fields["TimeStamp"],
                                          fields["Nonce"], fields["Encrypt"]):
                raise ValueError("reply signature does not verify")
            fields = xmlcodec.parse(envelope.decrypt(fields["Encrypt"]).encode("utf-8"))
        return fields

    # conveniences -------------------------------------------------------------
    def text(self, openid: str, content: str, **kw):
        return self.send_fields(openid, "text", {"Content": content}, **kw)

    def voice(self, openid: str, recognition: str, **kw):
        return self.send_fields(openid, "voice", {"MediaId": "sim_voice_" + secrets.token_hex(4), "Format": "amr",
                                                  "Recognition": recognition}, **kw)

    def image(self, openid: str, media_id: str, pic_url: str = "", **kw):
        return self.send_fields(openid, "image", {"PicUrl": pic_url or f"http://sim/{media_id}", "MediaId": media_id},
                                **kw)

    def location(self, openid: str, lat: float, lng: float, label: str = "", **kw):
        return self.send_fields(openid, "location", {"Location_X": lat, "Location_Y": lng, "Scale": 15,
                                                     "Label": label}, **kw)

    def event(self, openid: str, event: str, key: str = "", **kw):
        fields = {"Event": event}
        if key:
            fields["EventKey"] = key
        return self.send_fields(openid, "event", fields, **kw)

    def click(self, openid: str, key: str, **kw):
        return self.event(openid, "CLICK", key, **kw)


def reply_text(reply) -> str:
    """The words of a passive reply (text, or news titles), for display and tests."""
    if isinstance(reply, dict):
        if reply.get("MsgType") == "text":
            return reply.get("Content", "")
        if reply.get("MsgType") == "news":
            items = reply.get("Articles") or []
            return "\n".join(item.get("Title", "") for item in items if isinstance(item, dict))
    return "" if reply in ("", "success") else str(reply)
