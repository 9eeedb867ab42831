"""What a handler answers.  Rendering to XML (and encryption) is the gateway's job.

A reply is a plain value object so that it can be stored with the inbound
message and rendered again, identically, when WeChat retries.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Article:
    title: str
    description: str = ""
    pic_url: str = ""
    url: str = ""


@dataclass(frozen=True)
class Reply:
    """``type`` is text, news, image or success (an empty acknowledgement)."""

    type: str
    content: str = ""
    articles: tuple[Article, ...] = field(default_factory=tuple)
    media_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Reply":
        articles = tuple(Article(**a) for a in data.get("articles") or ())
        return cls(type=data["type"], content=data.get("content", ""), articles=articles,
                   media_id=data.get("media_id", ""))


def text(content: str) -> Reply:
    return Reply(type="text", content=content)


def news(*articles: Article) -> Reply:
    return Reply(type="news", articles=tuple(articles[:8]))


def image(media_id: str) -> Reply:
    return Reply(type="image", media_id=media_id)


SUCCESS = Reply(type="success")
