"""Typed inbound messages and events, independent of any WeChat library.

``parse(fields)`` turns the flat dict of an inbound XML body into one of the
classes below, chosen from a registry keyed by MsgType (and Event for events).
Voice with a ``Recognition`` counts as text: ``.text`` holds what was said.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, ClassVar

from handlers import registry

REQUIRED_FIELDS = ("ToUserName", "FromUserName", "CreateTime", "MsgType")


class InboundError(ValueError):
    """The message lacks a field or has a malformed one."""


@dataclass(frozen=True)
class Inbound:
    account: str
    openid: str
    create_time: int
    msg_type: str
    raw: dict[str, str] = field(repr=False, compare=False)
    msg_id: str | None = None
    text: str | None = None  # what the resident said, typed or spoken

    kind: ClassVar[str] = "unknown"

    @property
    def key(self) -> str:
        """Registry key for handler dispatch, e.g. ``text`` or ``event.subscribe``."""
        return self.kind

    @property
    def dedup_key(self) -> str:
        if self.msg_id:
            return f"msg:{self.msg_id}"
        return f"evt:{self.openid}:{self.create_time}:{self.raw.get('Event', self.msg_type)}"


@dataclass(frozen=True)
class TextMessage(Inbound):
    kind: ClassVar[str] = "text"


@dataclass(frozen=True)
class ImageMessage(Inbound):
    media_id: str = ""
    pic_url: str = ""
    kind: ClassVar[str] = "image"


@dataclass(frozen=True)
class VoiceMessage(Inbound):
    media_id: str = ""
    format: str = ""
    kind: ClassVar[str] = "voice"


@dataclass(frozen=True)
class VideoMessage(Inbound):
    media_id: str = ""
    thumb_media_id: str = ""
    kind: ClassVar[str] = "video"


@dataclass(frozen=True)
class LocationMessage(Inbound):
    latitude: float = 0.0
    longitude: float = 0.0
    scale: int = 0
    label: str = ""
    kind: ClassVar[str] = "location"


@dataclass(frozen=True)
class LinkMessage(Inbound):
    title: str = ""
    description: str = ""
    url: str = ""
    kind: ClassVar[str] = "link"


@dataclass(frozen=True)
class Event(Inbound):
    event: str = ""
    event_key: str = ""
    kind: ClassVar[str] = "event"

    @property
    def key(self) -> str:
        return f"event.{self.event}"


@dataclass(frozen=True)
class SubscribeEvent(Event):
    """subscribe; ``scene`` is the QR scene (``qrscene_`` stripped) when any."""

    scene: str = ""
    ticket: str = ""


@dataclass(frozen=True)
class ScanEvent(Event):
    scene: str = ""
    ticket: str = ""


@dataclass(frozen=True)
class LocationEvent(Event):
    latitude: float = 0.0
    longitude: float = 0.0
    precision: float = 0.0


@dataclass(frozen=True)
class ScanCodeEvent(Event):
    scan_type: str = ""
    scan_result: str = ""


@dataclass(frozen=True)
class PicEvent(Event):
    count: int = 0


@dataclass(frozen=True)
class LocationSelectEvent(Event):
    latitude: float = 0.0
    longitude: float = 0.0
    label: str = ""


def _float(raw: dict, name: str) -> float:
    try:
        return float(raw.get(name) or 0)
    except ValueError as exc:
        raise InboundError(f"{name} is not a number") from exc


def _int(raw: dict, name: str) -> int:
    try:
        return int(raw.get(name) or 0)
    except ValueError as exc:
        raise InboundError(f"{name} is not an integer") from exc


Builder = Callable[[dict, dict], Inbound]
MESSAGE_PARSERS: dict[str, Builder] = {}
EVENT_PARSERS: dict[str, Builder] = {}


def message(msg_type: str):
    """Register the builder of one MsgType (a type claimed twice raises)."""
    def register(fn: Builder) -> Builder:
        registry.put(MESSAGE_PARSERS, msg_type, fn, what="message type")
        return fn
    return register


def event(*names: str):
    """Register the builder of events by (lower-cased) name (a name claimed twice raises)."""
    def register(fn: Builder) -> Builder:
        for name in names:
            registry.put(EVENT_PARSERS, name, fn, what="event")
        return fn
    return register


@message("text")
def _text(raw, base):
    return TextMessage(**base, text=raw.get("Content", ""))


@message("image")
def _image(raw, base):
    return ImageMessage(**base, media_id=raw.get("MediaId", ""), pic_url=raw.get("PicUrl", ""))


@message("voice")
def _voice(raw, base):
    return VoiceMessage(**base, text=(raw.get("Recognition") or "").strip() or None,
                        media_id=raw.get("MediaId", ""), format=raw.get("Format", ""))


@message("video")
@message("shortvideo")
def _video(raw, base):
    return VideoMessage(**base, media_id=raw.get("MediaId", ""), thumb_media_id=raw.get("ThumbMediaId", ""))


@message("location")
def _location(raw, base):
    return LocationMessage(**base, latitude=_float(raw, "Location_X"), longitude=_float(raw, "Location_Y"),
                           scale=_int(raw, "Scale"), label=raw.get("Label", ""))


@message("link")
def _link(raw, base):
    return LinkMessage(**base, title=raw.get("Title", ""), description=raw.get("Description", ""),
                       url=raw.get("Url", ""))


@message("event")
def _event(raw, base):
    name = (raw.get("Event") or "").strip()
    if not name:
        raise InboundError("event without Event")
    normalized = name.lower()  # WeChat writes CLICK, VIEW, SCAN... in upper case
    builder = EVENT_PARSERS.get(normalized, _plain_event)
    return builder(raw, {**base, "event": normalized, "event_key": raw.get("EventKey", "") or ""})


def _plain_event(raw, base):
    return Event(**base)


@event("subscribe")
def _subscribe(raw, base):
    key = base["event_key"]
    scene = key[len("qrscene_"):] if key.startswith("qrscene_") else ""
    return SubscribeEvent(**base, scene=scene, ticket=raw.get("Ticket", ""))


@event("scan")
def _scan(raw, base):
    return ScanEvent(**base, scene=base["event_key"], ticket=raw.get("Ticket", ""))


@event("location")
def _location_event(raw, base):
    return LocationEvent(**base, latitude=_float(raw, "Latitude"), longitude=_float(raw, "Longitude"),
                         precision=_float(raw, "Precision"))


@event("scancode_push", "scancode_waitmsg")
def _scancode(raw, base):
    info = raw.get("ScanCodeInfo") or {}
    info = info if isinstance(info, dict) else {}
    return ScanCodeEvent(**base, scan_type=info.get("ScanType", ""), scan_result=info.get("ScanResult", ""))


@event("pic_sysphoto", "pic_photo_or_album", "pic_weixin")
def _pic(raw, base):
    info = raw.get("SendPicsInfo") or {}
    count = info.get("Count", "0") if isinstance(info, dict) else "0"
    return PicEvent(**base, count=int(count) if is_number(str(count)) else 0)


@event("location_select")
def _location_select(raw, base):
    info = raw.get("SendLocationInfo") or {}
    info = info if isinstance(info, dict) else {}
    return LocationSelectEvent(**base, latitude=_float(info, "Location_X"), longitude=_float(info, "Location_Y"),
                               label=info.get("Label", ""))


def is_number(text: str) -> bool:
    """ASCII digits only ('¹'.isdigit() is True, but int('¹') fails)."""
    return text.isascii() and text.isdigit() and len(text) <= 20


def parse(raw: dict) -> Inbound:
    """Build the typed object for a flat dict of the inbound XML's fields."""
    missing = [name for name in REQUIRED_FIELDS if not raw.get(name)]
    if missing:
        raise InboundError("missing field(s): " + ", ".join(missing))
    msg_type = str(raw["MsgType"]).strip().lower()
    create_time = raw["CreateTime"]
    if not is_number(str(create_time)):
        raise InboundError("CreateTime is not an integer")
    msg_id = str(raw.get("MsgId") or raw.get("MsgID") or "").strip() or None
    if msg_id and not is_number(msg_id):
        raise InboundError("MsgId is not an integer")
    base = {"account": raw["ToUserName"], "openid": raw["FromUserName"], "create_time": int(create_time),
            "msg_type": msg_type, "raw": raw, "msg_id": msg_id if msg_type != "event" else None}
    builder = MESSAGE_PARSERS.get(msg_type)
    if builder is None:
        return Inbound(**base)
    return builder(raw, base)
