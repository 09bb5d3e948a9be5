"""Plain data shared by every stage of the pipeline.

These are deliberately free of storage and platform concerns: the clusterer, the summariser and the
renderers all speak in these types, so each can be tested (and benchmarked) on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta


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
    # Which outlet (site) published it, when its feed names one (bot.store.feed_outlets.outlet_key): a
    # paper's section feeds are one outlet under whatever names. None: `source` stands for it.
    # Which outlet counts and names it: `bot.outlets`.
    outlet: str | None = None
    # When the bot first read this article's feed. An entry it found then was already in the feed
    # (its backlog): we could not have seen it sooner, so its own date stands.
    feed_read_since: datetime | None = None

    @property
    def when(self) -> datetime | None:
        return self.published or self.seen

    def reported_at(self, window: timedelta) -> datetime | None:
        """When the article reported its story, for the story's "first report" and the
        clusterer's clock: its published time, which may rightly predate our poll (a slow feed, a
        backlog), unless that is more than the clustering `window` before we saw it in a feed we
        were already reading. A feed item that keeps its first version's date (a running
        explainer updated today, dated two months ago) would otherwise make a two-hour-old story
        read "60d after first report", and open a story already out of the clusterer's window.
        Such an article reported the story when we saw it; so did one dated after we saw it (a
        clock or zone error). An entry found the first time we read its feed keeps its date: a
        new feed's backlog is old news, and read as "now" its week of unrelated items would look
        simultaneous to the clusterer, which then merges them."""
        if self.published is None or self.seen is None:
            return self.when
        if self.published < self.seen - window and not self.in_backlog:
            return self.seen
        return min(self.published, self.seen)

    @property
    def in_backlog(self) -> bool:
        """Found the first time the bot read its feed (unknown: not). Entries a first read left
        for later, past `polling.max_new_entries`, are not: they arrive in a later read."""
        since = self.feed_read_since
        return since is not None and self.seen is not None and self.seen <= since


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
    # The LLM writer is configured but gave no answer for this (down, resting after failures, or
    # the budget spent): the cache keeps it, and a later card asks the LLM again.
    llm_fallback: bool = False
    # The link of the article whose title the headline is (`choose_headline`'s pick), which a
    # card's title opens: the first source's article is often another outlet's other headline.
    headline_url: str | None = None
