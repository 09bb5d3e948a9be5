"""Plain data shared by every stage of the pipeline.

These are deliberately free of storage and platform concerns: the clusterer, the summariser and the
renderers all speak in these types, so each can be tested (and benchmarked) on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class Article:
    """One news item, normalised: plain text, UTC time, canonical URL."""

    id: str
    source: str
    title: str
    text: str
    url: str | None = None
    published: datetime | None = None
    feed_id: int | None = None
    # When the bot first saw it; used for "as of 2h after first report" when `published` is absent.
    seen: datetime | None = None
    # Which outlet (site) published it, when its feed names one (bot.store.feeds.outlet_key): a
    # paper's section feeds are one outlet under whatever names. None: `source` stands for it.
    # Which outlet counts and names it: `bot.outlets`.
    outlet: str | None = None

    @property
    def when(self) -> datetime | None:
        return self.published or self.seen


@dataclass(slots=True)
class Bullet:
    """A TL;DR bullet, grounded in the outlets that support it."""

    text: str
    sources: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Angle:
    """What one outlet adds that the others lack, with a verbatim quote from its own text."""

    source: str
    line: str
    quote: str
    url: str | None = None


@dataclass(slots=True)
class Summary:
    """What the summariser produces for a story: the words of the card."""

    headline: str
    tldr: list[Bullet]
    angles: list[Angle]
    also_reporting: list[str] = field(default_factory=list)
    writer: str = "extractive"
