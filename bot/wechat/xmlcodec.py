"""Inbound XML parsing that refuses DTDs and entities; reply XML that cannot be broken.

Inbound bodies are small and flat: ``<xml>`` with leaf children, and a few
events with nested levels (ScanCodeInfo, SendPicsInfo, SendLocationInfo).
"""
from __future__ import annotations

import re
import time
from xml.parsers import expat

from handlers.replies import Reply

MAX_CHILDREN = 64
MAX_DEPTH = 5  # <xml> > SendPicsInfo > PicList > item > PicMd5Sum
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class XmlError(ValueError):
    """The body is not the XML WeChat sends."""


class _Builder:
    """Streams expat events into nested dicts, refusing DTDs, entities and depth early.

    Refusing inside the event handlers means a hostile body (20,000 levels,
    an entity bomb) is rejected after a few bytes, before any tree is built.
    """

    def __init__(self):
        self.stack: list[tuple[str, dict | list, list[str]]] = []
        self.root: tuple[str, dict | list] | None = None

    def start(self, tag, _attrs):
        if len(self.stack) >= MAX_DEPTH:
            raise XmlError("nested too deep")
        if self.stack:
            parent = self.stack[-1][1]
            if len(parent) >= MAX_CHILDREN:
                raise XmlError("too many fields")
        self.stack.append((tag, {}, []))

    def end(self, tag):
        tag, children, text = self.stack.pop()
        value = _collapse(tag, children, "".join(text))
        if not self.stack:
            self.root = (tag, value if isinstance(value, dict) else {})
            return
        parent = self.stack[-1][1]
        if tag == "item":
            parent.setdefault("\0items", []).append(value)
        else:
            parent[tag] = value

    def data(self, chunk):
        if self.stack:
            self.stack[-1][2].append(chunk)


def _collapse(tag: str, children: dict, text: str):
    if not children:
        return text if tag == "Content" else text.strip()
    if "\0items" in children and len(children) == 1:  # news Articles, SendPicsInfo PicList
        return children["\0items"]
    children.pop("\0items", None)
    return children


def _refuse(message: str):
    def handler(*_args):
        raise XmlError(message)
    return handler


def _utf8_only(_version, encoding, _standalone):
    """WeChat sends UTF-8; a body declaring anything else is refused, not reinterpreted."""
    if encoding is not None and encoding.lower() != "utf-8":
        raise XmlError(f"only UTF-8 bodies are accepted, not {encoding[:20]!r}")


def parse(body: bytes) -> dict:
    """Parse an inbound body to a flat dict of field → text (nested fields → dict or list)."""
    if not body or not body.strip():
        raise XmlError("empty body")
    builder = _Builder()
    try:  # expat would follow a UTF-16 byte-order mark even when told UTF-8
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise XmlError("only UTF-8 bodies are accepted") from exc
    parser = expat.ParserCreate("UTF-8")
    parser.XmlDeclHandler = _utf8_only
    parser.StartElementHandler, parser.EndElementHandler = builder.start, builder.end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = _refuse("forbidden XML construct: DTD")
    parser.EntityDeclHandler = _refuse("forbidden XML construct: entity declaration")
    parser.ExternalEntityRefHandler = _refuse("forbidden XML construct: external entity")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(body, True)
    except expat.ExpatError as exc:
        raise XmlError(f"not well-formed XML: {exc}") from exc
    except (ValueError, LookupError) as exc:  # unknown encodings
        if isinstance(exc, XmlError):
            raise
        raise XmlError(f"not well-formed XML: {exc}") from exc
    if builder.root is None or builder.root[0] != "xml":
        raise XmlError("root element must be <xml>")
    return builder.root[1]


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
