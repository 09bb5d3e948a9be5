"""What a command's argument may be, offered as it is typed (Discord's autocomplete): which
topics, stories, feeds and time zones each argument takes, and how each is labelled for whoever
asks. The adapter only matches what was typed against them and fits them to its limits.

A feed is labelled as /feeds list shows it to the asker (`feed_lines.feed_shown`): anyone but an
admin sees its address without a key, and is offered nothing to match a key's start against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import sqlite_utils

from bot.commands.feed_lines import feed_shown
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.timezones import likely_zones, zones_by_folded_name

if TYPE_CHECKING:
    from bot.app import NewsDigest

# The stories /story and /watchlist mute offer: the last three days', the most any choice list
# shows a fair pick of (a platform shows 25 of those matching what was typed).
STORY_HOURS = 72
STORY_LIMIT = 200


@dataclass(frozen=True, slots=True)
class Choice:
    """One argument on offer: `value` is what the command gets, `label` what the asker reads
    (feed text, for the adapter to clean)."""

    value: str
    label: str


def topics(db: sqlite_utils.Database) -> list[Choice]:
    """Every shared topic, for /follow."""
    return [Choice(t.slug, f"{t.slug}: {t.query}") for t in channel_store.list_topics(db)]


def followed_topics(db: sqlite_utils.Database, platform: str, channel_id: str) -> list[Choice]:
    """The topics the channel follows, for /unfollow; none for a channel never signed up."""
    channel = channel_store.get_channel(db, platform, channel_id)
    if channel is None:
        return []
    return [
        Choice(t.slug, f"{t.slug}: {t.query}") for t in channel_store.channel_topics(db, channel.id)
    ]


def stories(core: NewsDigest, *, now: datetime | None = None) -> list[Choice]:
    """The recent stories, for /story and /watchlist mute."""
    recent = core.recent_stories(hours=STORY_HOURS, limit=STORY_LIMIT, now=now)
    return [Choice(s.slug, f"{s.headline} ({s.slug})") for s in recent]


def muted_stories(db: sqlite_utils.Database, platform: str, channel_id: str) -> list[Choice]:
    """The stories muted in the channel, for /watchlist unmute."""
    channel = channel_store.get_channel(db, platform, channel_id)
    if channel is None:
        return []
    return [
        Choice(m.slug, f"{m.headline} ({m.slug})")
        for m in channel_store.muted_stories(db, channel.id)
    ]


def feeds(db: sqlite_utils.Database, *, whole: bool) -> list[Choice]:
    """The feeds /feeds remove takes, by id (a choice's value is short; an address may not be),
    labelled "#3 Name <address>" as /feeds list shows each to the asker. `whole`: an admin."""
    out: list[Choice] = []
    for feed in feed_store.list_feeds(db):
        name, address = feed_shown(feed, whole=whole)
        out.append(Choice(str(feed.id), f"#{feed.id}{name} <{address}>"))
    return out


def zones(typed: str) -> tuple[list[str], list[str]]:
    """The zones /schedule timezone takes: those `typed` most likely means (a city's zone, an
    abbreviation's), then every other Region/City name and UTC, GMT. "EST" or "CET" are not
    offered, as chat refuses them; "los ang" is typed for America/Los_Angeles, so the adapter
    matches the rest against `typed` with "_" for its spaces."""
    named = likely_zones(typed) if typed.strip() else []
    offered = sorted(z for z in zones_by_folded_name().values() if "/" in z or z in ("UTC", "GMT"))
    return named, [z for z in offered if z not in named]
