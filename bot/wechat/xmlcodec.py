"""Inbound XML parsing that refuses DTDs and entities; reply XML that cannot be broken.

Inbound bodies are small and flat: ``<xml>`` with leaf children, and a few
events with one nested level (ScanCodeInfo, SendPicsInfo, SendLocationInfo).
"""
from __future__ import annotations

import re
import time
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from handlers.replies import Reply

MAX_CHILDREN = 64
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class XmlError(ValueError):
    """The body is not the XML WeChat sends."""


def parse(body: bytes) -> dict:
    """Parse an inbound body to a flat dict of field → text (nested fields → dict)."""
    if not body or not body.strip():
        raise XmlError("empty body")
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise XmlError(f"forbidden XML construct: {type(exc).__name__}") from exc
    except Exception as exc:  # ParseError, ValueError from expat on unknown encodings
        raise XmlError(f"not well-formed XML: {exc}") from exc
    if root.tag != "xml":
        raise XmlError("root element must be <xml>")
    if len(root) > MAX_CHILDREN:
        raise XmlError("too many fields")
    return {child.tag: _value(child, depth=1) for child in root}


def _value(node: Element, depth: int):
    if len(node) == 0:
        return (node.text or "").strip() if node.tag not in ("Content",) else (node.text or "")
    if depth >= 4:  # SendPicsInfo > PicList > item > PicMd5Sum
        raise XmlError("nested too deep")
    if len(node) > MAX_CHILDREN:
        raise XmlError("too many fields")
    if all(child.tag == "item" for child in node):  # news Articles, SendPicsInfo PicList
        return [_value(child, depth + 1) for child in node]
    return {child.tag: _value(child, depth + 1) for child in node}


def cdata(value: str) -> str:
    """Wrap in CDATA so that ``]]>`` and markup in resident text stay text."""
    value = _INVALID_XML_CHARS.sub("", value)
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def render_reply(reply: Reply, *, to_user: str, from_user: str, now: int | None = None) -> str:
    """The passive reply XML, or '' for ``success`` (handled by the caller)."""
    head = (f"<ToUserName>{cdata(to_user)}</ToUserName><FromUserName>{cdata(from_user)}</FromUserName>"
            f"<CreateTime>{int(now or time.time())}</CreateTime>")
    if reply.type == "text":
        body = f"<MsgType><![CDATA[text]]></MsgType><Content>{cdata(reply.content)}</Content>"
    elif reply.type == "image":
        body = f"<MsgType><![CDATA[image]]></MsgType><Image><MediaId>{cdata(reply.media_id)}</MediaId></Image>"
    elif reply.type == "news":
        items = "".join(
            f"<item><Title>{cdata(a.title)}</Title><Description>{cdata(a.description)}</Description>"
            f"<PicUrl>{cdata(a.pic_url)}</PicUrl><Url>{cdata(a.url)}</Url></item>" for a in reply.articles)
        body = (f"<MsgType><![CDATA[news]]></MsgType><ArticleCount>{len(reply.articles)}</ArticleCount>"
                f"<Articles>{items}</Articles>")
    else:
        raise ValueError(f"cannot render reply type {reply.type!r}")
    return f"<xml>{head}{body}</xml>"


def render_encrypted(encrypt: str, msg_signature: str, timestamp: str, nonce: str) -> str:
    return (f"<xml><Encrypt>{cdata(encrypt)}</Encrypt><MsgSignature>{cdata(msg_signature)}</MsgSignature>"
            f"<TimeStamp>{timestamp}</TimeStamp><Nonce>{cdata(nonce)}</Nonce></xml>")
