"""What a config sync did, and the notes that tell the admin (`sync_notes`).

The sync itself (`sync`) decides what happens to each feed, topic and channel row; this module
owns the record of it (`SyncReport`: counts, and the rows removed, paused, taken over, handed
back, refused or resumed, by name) and its wording, including how a row the file did not create
came to be (`added_by`). Apart because its callers (`poll`, `run`) only read the report, and the
wording is one place to keep consistent whichever kind of row it speaks of.

It also tells which of a channel's settings set in chat an edited entry replaces
(`replaced_in_chat`): the sync applies a changed entry whole (CONFIGURATION.md: a chat setting
survives "until you edit that same entry in the file"), and did so unsaid, so a rename in the file
undid a weekday-only schedule, a digest size and an unfollow with no line anywhere.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from bot.config import ChannelConfig, Config
from bot.render.text import clean

# The settings chat can change of a channel the file declares (/watchlist, /follow, /unfollow).
CHAT_SETTINGS = ("schedule", "timezone", "mode", "min_sources", "digest_size", "quiet_hours")
# The other keys of an entry: set by the file alone, so the row holds the file's last value.
_FILE_ONLY = ("name", "webhook_url")
# Keys tried together when telling the file's edits from chat's: 2**8 hashes at most.
_MAX_TRIED = 8
# A channel's topics put back in every order up to this many (720 orders): the hash was taken of
# the file's list in its order, which the database does not keep.
_TOPIC_ORDERS_TRIED = 6
# Keys added to an entry after its hash was first stored: left out while unset, so an upgrade
# does not read every unchanged entry as edited (and write the file's values over chat's).
_ADDED_LATER = ("digest_size",)


def entry_hash(entry: Any) -> str:
    """The hash a synced row keeps of the config entry it came from (`bot.store.sync`)."""
    fields = asdict(entry)
    for key in _ADDED_LATER:
        if fields.get(key, 0) is None:
            del fields[key]
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:16]


# How a row the file did not create came to be, by its origin, for the sync's notes.
_ADDED_BY = {
    "feed": {"cli": "added with `feeds add`", "opml": "added with `feeds import`"},
    "topic": {"cli": "added with `topics add`"},
    "channel": {"runner": "added by `newsdigest run`"},
}
_ADDED_ANYHOW = {"chat": "added in chat", "demo": "added by the demo"}


def added_by(kind: str, origin: str) -> str:
    return _ADDED_BY[kind].get(origin) or _ADDED_ANYHOW.get(origin) or f"added ({origin})"


@dataclass(slots=True)
class SyncReport:
    feeds_added: int = 0
    feeds_removed: int = 0
    channels_paused: int = 0
    channels_resumed: int = 0
    skipped: bool = False
    topics_recreated: set[str] = field(default_factory=set)
    # What the sync took away, by name, for the caller to say (`sync_notes`): a config file
    # that lost its entries (or an unrelated, empty one) must not empty a database silently.
    removed_feeds: list[str] = field(default_factory=list)
    removed_topics: list[str] = field(default_factory=list)
    paused_channels: list[str] = field(default_factory=list)
    # Rows added by command or chat that the file took over, or handed back, as
    # "feed URL, added with `feeds add`": a row changing hands is said once, when it does.
    taken_over: list[str] = field(default_factory=list)
    handed_back: list[str] = field(default_factory=list)
    # Feed entries polling would refuse, not synced: "feeds[2] (URL): why[; what became of the
    # row an older version stored for it]".
    refused_feeds: list[str] = field(default_factory=list)
    # What the sync added, by name (feeds, often many, by count only): a poll that starts
    # posting to a channel must not do so unsaid.
    added_topics: list[str] = field(default_factory=list)
    added_channels: list[str] = field(default_factory=list)
    # Channels the file left, back in it: paused for their removal (the pause is lifted), or
    # kept since, resumed (`channels resume`, /watchlist resume).
    back_paused: list[str] = field(default_factory=list)
    # Back in the file, still under the pause it had before it left (/watchlist pause).
    back_kept_paused: list[str] = field(default_factory=list)
    back_kept: list[str] = field(default_factory=list)
    # Channels paused for a refused post whose entry now posts another way (a new webhook_url):
    # "channel NAME (KEY): ... (it was paused: why)".
    lifted_pauses: list[str] = field(default_factory=list)
    # Channels whose changed entry replaced settings set in chat: "NAME (KEY): what (was → now)".
    chat_replaced: list[str] = field(default_factory=list)


def sync_notes(report: SyncReport, config_file: str) -> list[str]:
    """What the sync did that the admin must hear of: one line per feed entry that is not synced
    because polling would refuse its address; one per kind of row it removed or paused, with the
    count and the names ("config: removed 8 feeds no longer in config/newsdigest.toml: URL, URL,
    ..."); one per row it took over from, or handed back to, a command or chat; and one per
    channel whose pause it lifted because its webhook_url changed. What it added is `sync_news`."""
    notes = [f"config: {config_file}: {what}" for what in report.refused_feeds]
    for verb, kind, names in (
        ("removed", "feed", report.removed_feeds),
        ("removed", "topic", report.removed_topics),
        ("paused", "channel", report.paused_channels),
    ):
        if names:
            notes.append(
                f"config: {verb} {_count(names, kind)} no longer in {config_file}: "
                f"{', '.join(names)}"
            )
    notes.extend(
        f"config: {what}, is now managed by {config_file} (taking it out of the file hands it back)"
        for what in report.taken_over
    )
    notes.extend(
        f"config: {what}, is no longer in {config_file}: kept, as the file left it, and "
        "managed as before"
        for what in report.handed_back
    )
    notes.extend(f"config: {what}" for what in report.lifted_pauses)
    notes.extend(
        f"config: {chat_replaced_note(what, config_file)}" for what in report.chat_replaced
    )
    return _cleaned(notes)


def sync_news(report: SyncReport, config_file: str) -> list[str]:
    """What the sync added: feeds by count (a first sync may add hundreds), topics and channels
    by name ("config: added 1 channel from config/newsdigest.toml: news (slack:C1)"), and each
    channel back in the file, which it left: a poll that starts posting to a channel says so. Not
    a warning (`run` logs it as news), unlike `sync_notes`."""
    news = []
    if report.feeds_added:
        news.append(f"config: added {_count(report.feeds_added, 'feed')} from {config_file}")
    for kind, names in (("topic", report.added_topics), ("channel", report.added_channels)):
        if names:
            news.append(
                f"config: added {_count(names, kind)} from {config_file}: {', '.join(names)}"
            )
    news.extend(
        f"config: channel {name} is back in {config_file}: the pause its removal set is lifted, "
        "and posting resumes"
        for name in report.back_paused
    )
    news.extend(
        f"config: channel {name} is back in {config_file}; the pause it had before it left "
        "stands (/watchlist resume lifts it)"
        for name in report.back_kept_paused
    )
    news.extend(
        f"config: channel {name} is back in {config_file}, which manages it again (kept, "
        "resumed, since it left the file)"
        for name in report.back_kept
    )
    return _cleaned(news)


def _count(items: list[str] | int, kind: str) -> str:
    n = items if isinstance(items, int) else len(items)
    return f"{n} {kind if n == 1 else kind + 's'}"


def _cleaned(notes: list[str]) -> list[str]:
    # A channel's name is the file's (or chat's) words, and a note goes to stderr, cron's mail
    # and the log: cleaned as feed text is for the terminal, so no ESC or BEL drives it.
    return [clean(note) for note in notes]


def replaced_in_chat(
    channel: ChannelConfig,
    row: Mapping[str, Any],
    topics: list[str],
    stored_hash: str | None,
) -> list[str]:
    """The settings of `row` (the channel as the database has it, following `topics`) that
    applying `channel`, its changed entry, replaces, as "schedule '0 7 * * mon-fri' → '0 7 * * *'".
    A setting the file's edit itself changed is not one chat set: the row still holds the file's
    old value there, so the entry with those values put back hashes as `stored_hash` did. The
    smallest such set of keys is the file's edit; without one (a key edited in both places), every
    difference is named."""
    now: dict[str, Any] = {key: getattr(channel, key) for key in CHAT_SETTINGS + _FILE_ONLY}
    now["topics"] = sorted(channel.topics)
    was: dict[str, Any] = {key: row.get(key) for key in CHAT_SETTINGS + _FILE_ONLY}
    was["topics"] = sorted(topics)
    differ = [key for key in now if now[key] != was[key]]
    edited: tuple[str, ...] = ()
    if stored_hash is not None and len(differ) <= _MAX_TRIED:
        for size in range(len(differ) + 1):
            found = next(
                (
                    keys
                    for keys in itertools.combinations(differ, size)
                    if _hashes_as(channel, {key: was[key] for key in keys}, stored_hash)
                ),
                None,
            )
            if found is not None:
                edited = found
                break
    return [
        f"{key} {_shown(key, was[key])} → {_shown(key, now[key])}"
        for key in (*CHAT_SETTINGS, "topics")
        if key in differ and key not in edited
    ]


def _shown(key: str, value: Any) -> str:
    if key == "topics":
        return ", ".join(value) if value else "(none)"
    if value is None:
        return "default" if key == "digest_size" else "none"
    return repr(value) if isinstance(value, str) else str(value)


def pending_chat_replaced(conn: sqlite3.Connection, config: Config) -> list[str]:
    """What the next sync will say it replaced of chat's settings (`SyncReport.chat_replaced`),
    read from `conn` without writing: `config check` says it before `run` or `poll` acts."""
    found = []
    for channel in config.channels:
        cursor = conn.execute(
            "SELECT * FROM channels WHERE platform = ? AND channel_id = ? AND origin = 'config'",
            [channel.platform, channel.id],
        )
        row = cursor.fetchone()
        if row is None:
            continue
        current = dict(zip([c[0] for c in cursor.description], row, strict=True))
        if current["config_hash"] == entry_hash(channel):
            continue
        topics = [
            slug
            for (slug,) in conn.execute(
                "SELECT topic_slug FROM subscriptions WHERE channel_pk = ?", [current["id"]]
            )
        ]
        if replaced := replaced_in_chat(channel, current, topics, current["config_hash"]):
            key = f"{channel.platform}:{channel.id}"
            named = f"{channel.name} ({key})" if channel.name else key
            found.append(f"{named}: {'; '.join(replaced)}")
    return found


def _hashes_as(channel: ChannelConfig, put_back: dict[str, Any], stored_hash: str) -> bool:
    """Whether the entry with `put_back`'s values hashes as `stored_hash`. Topics are put back in
    the orders the file may have listed them in: `entry_hash` took the file's order, so sorted
    alone missed an unsorted list, and the file's own edit of it was named as chat's."""
    if "topics" not in put_back:
        return entry_hash(replace(channel, **put_back)) == stored_hash
    return any(
        entry_hash(replace(channel, **{**put_back, "topics": order})) == stored_hash
        for order in _topic_orders(put_back["topics"], channel.topics)
    )


def _topic_orders(topics: list[str], listed_now: list[str]) -> Iterator[list[str]]:
    """The orders of `topics` (the row's) the file's earlier list may have had, likeliest first:
    those still listed in the file's order now, then the others; sorted; then every order, for a
    few."""
    kept = [t for t in listed_now if t in topics]
    yield kept + sorted(t for t in topics if t not in kept)
    yield sorted(topics)
    if len(topics) <= _TOPIC_ORDERS_TRIED:
        for order in itertools.permutations(sorted(topics)):
            yield list(order)


def chat_replaced_note(what: str, config_file: str, *, pending: bool = False) -> str:
    """The warning for one channel of `chat_replaced` (`pending`: said before the sync)."""
    verb = "will replace" if pending else "replace"
    return clean(
        f"channel {what}: its entry in {config_file} changed, so the file's values "
        f"{verb} these set in chat (set them again in chat to keep them)"
    )
