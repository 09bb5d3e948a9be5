"""Channels, topics and the subscriptions between them: the part chat commands edit."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

from bot.config_entries import DEFAULT_SCHEDULE, DEFAULT_TIMEZONE
from bot.store import digest_runs, topic_matches
from bot.store.database import iso, parse_iso, transaction, utcnow


class UnknownTopicError(LookupError):
    pass


class AmbiguousChannelError(LookupError):
    """A bare id or name that more than one channel goes by (the README's Slack and Discord
    examples are both `#news`); `keys` are the `platform:id` keys that tell them apart."""

    def __init__(self, ref: str, keys: list[str]) -> None:
        self.ref = ref
        self.keys = keys
        super().__init__(f"{ref!r} is the id or name of {len(keys)} channels: {', '.join(keys)}")


@dataclass(slots=True)
class TopicRow:
    slug: str
    title: str | None
    query: str
    origin: str

    @property
    def display_title(self) -> str:
        return self.title or self.slug


@dataclass(slots=True)
class ChannelRow:
    id: int
    platform: str
    channel_id: str
    name: str | None
    schedule: str
    timezone: str
    mode: str
    min_sources: int
    quiet_hours: str | None
    webhook_url: str | None
    paused_reason: str | None
    # When the runner saw the schedule, time zone or mode last change (None: not since this was
    # recorded): an earlier slot of the schedule now in force was never due.
    schedule_changed_at: datetime | None = None
    # Cards in one digest; None: the configured default (`bot.runner.digests.digest_size`).
    digest_size: int | None = None
    # When the pause in `paused_reason` began (None: not paused, or paused before this was kept
    # and its reason does not say).
    paused_at: datetime | None = None
    # Who made the row: "config" (the file declares it), "chat", "runner", ... (`store.sync`).
    origin: str | None = None

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.channel_id}"

    @property
    def schedule_signature(self) -> tuple[str, str, str]:
        """What decides when the channel's digests are due."""
        return (self.schedule, self.timezone, self.mode)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ChannelRow:
        values: dict[str, Any] = {f.name: row.get(f.name) for f in dataclasses.fields(cls)}
        values["schedule_changed_at"] = parse_iso(values["schedule_changed_at"])
        values["paused_at"] = parse_iso(values["paused_at"])
        return cls(**values)


# --- topics -----------------------------------------------------------------------------------


def upsert_topic(
    db: sqlite_utils.Database,
    slug: str,
    query: str,
    *,
    title: str | None = None,
    origin: str = "cli",
    config_hash: str | None = None,
) -> TopicRow:
    record = {"slug": slug, "query": query, "title": title, "origin": origin}
    if config_hash is not None:
        record["config_hash"] = config_hash
    with transaction(db):  # the look and the write together
        if get_topic(db, slug) is None:
            record["created_at"] = iso(utcnow())
            db.table("topics").insert(record)
        else:
            db.table("topics").update(slug, record)
            # A channel keeps a story matched by the query it was given it by, not another.
            topic_matches.forget_other_queries(db, slug, query)
        return get_topic(db, slug)  # type: ignore[return-value]


def get_topic(db: sqlite_utils.Database, slug: str) -> TopicRow | None:
    rows = list(db["topics"].rows_where("slug = ?", [slug]))
    if not rows:
        return None
    r = rows[0]
    return TopicRow(slug=r["slug"], title=r["title"], query=r["query"], origin=r["origin"])


def list_topics(db: sqlite_utils.Database) -> list[TopicRow]:
    return [
        TopicRow(slug=r["slug"], title=r["title"], query=r["query"], origin=r["origin"])
        for r in db["topics"].rows_where(order_by="slug")
    ]


def remove_topic(db: sqlite_utils.Database, slug: str) -> bool:
    with transaction(db):  # no topic left without its subscriptions' removal, or the reverse
        db.execute("DELETE FROM subscriptions WHERE topic_slug = ?", [slug])
        return db.execute("DELETE FROM topics WHERE slug = ?", [slug]).rowcount > 0


# --- channels ---------------------------------------------------------------------------------


def get_channel(db: sqlite_utils.Database, platform: str, channel_id: str) -> ChannelRow | None:
    rows = list(
        db["channels"].rows_where("platform = ? AND channel_id = ?", [platform, channel_id])
    )
    return ChannelRow.from_row(rows[0]) if rows else None


def get_channel_by_pk(db: sqlite_utils.Database, pk: int) -> ChannelRow | None:
    rows = list(db["channels"].rows_where("id = ?", [pk]))
    return ChannelRow.from_row(rows[0]) if rows else None


def channel_exists(db: sqlite_utils.Database, pk: int) -> bool:
    """Whether the channel's row is still there: `newsdigest channels remove` deletes it from
    another process, maybe after the caller read it. Asked inside the caller's write
    transaction, the answer holds until its commit."""
    return db.execute("SELECT 1 FROM channels WHERE id = ?", [pk]).fetchone() is not None


def ensure_channel(
    db: sqlite_utils.Database,
    platform: str,
    channel_id: str,
    *,
    name: str | None = None,
    first_run: datetime | None = None,
) -> ChannelRow:
    """The channel's row, created with default settings the first time it is seen. `first_run`:
    the moment a row made here signs up for digests (a chat command's clock), recorded with it
    as its first digest run (`digest_runs.record_first_run`), so a restart before the runner's
    next job sync still owes it the slots from then; None leaves that to the job sync."""
    found = get_channel(db, platform, channel_id)
    if found is not None:
        return found
    with transaction(db):
        made = db.execute(
            "INSERT OR IGNORE INTO channels (platform, channel_id, name, schedule, timezone, mode,"
            " min_sources, origin, created_at) VALUES (?, ?, ?, ?, ?, 'digest', 2, 'chat', ?)",
            [platform, channel_id, name, DEFAULT_SCHEDULE, DEFAULT_TIMEZONE, iso(utcnow())],
        ).rowcount
        row = get_channel(db, platform, channel_id)
        if made and first_run is not None and row is not None:
            digest_runs.record_first_run(db, row.id, at=first_run)
    return row  # type: ignore[return-value]


def list_channels(db: sqlite_utils.Database, platform: str | None = None) -> list[ChannelRow]:
    if platform:
        rows = db["channels"].rows_where("platform = ?", [platform], order_by="id")
    else:
        rows = db["channels"].rows_where(order_by="id")
    return [ChannelRow.from_row(r) for r in rows]


def find_channel(db: sqlite_utils.Database, ref: str) -> ChannelRow | None:
    """By 'platform:id', bare id, or name, a name also without its '#' or with one it lacks:
    unquoted, `#news` is a shell comment, so `news` is how a command line names "#news". An
    exact match comes first. A bare id or name several channels share raises
    `AmbiguousChannelError`: picking one would show (or act on) a channel the user did not mean,
    with nothing to say so."""
    if ":" in ref:
        platform, _, channel_id = ref.partition(":")
        found = get_channel(db, platform, channel_id)
        if found:
            return found
    rows = list(db["channels"].rows_where("channel_id = ? OR name = ?", [ref, ref], order_by="id"))
    if not rows and ref.startswith("#"):  # "#team" for the channel named or with id "team"
        bare = ref.removeprefix("#")
        rows = list(
            db["channels"].rows_where("channel_id = ? OR name = ?", [bare, bare], order_by="id")
        )
    elif not rows:
        rows = list(db["channels"].rows_where("name = ?", [f"#{ref}"], order_by="id"))
    if len(rows) > 1:
        raise AmbiguousChannelError(ref, [ChannelRow.from_row(r).key for r in rows])
    return ChannelRow.from_row(rows[0]) if rows else None


def update_channel(db: sqlite_utils.Database, pk: int, **fields: Any) -> ChannelRow:
    """Set `fields`. A pause set (`paused_reason`) is dated now unless `paused_at` is given; a
    pause lifted loses its date."""
    if "paused_reason" in fields and "paused_at" not in fields:
        fields["paused_at"] = iso(utcnow()) if fields["paused_reason"] else None
    elif isinstance(fields.get("paused_at"), datetime):
        fields["paused_at"] = iso(fields["paused_at"])
    db.table("channels").update(pk, fields)
    return get_channel_by_pk(db, pk)  # type: ignore[return-value]


# The pause `/watchlist pause` sets: asked for, not a fault, so nothing to fix before resuming.
PAUSED_IN_CHAT = "paused in chat (/watchlist resume to resume)"


# The start of a pause the outbox sets when the platform refuses the channel's posts
# (`bot.delivery.failures`): "slack refused to post (...)". A pause for another reason (the entry
# taken out of the config file, `bot.store.sync`) is no refusal.
REFUSED_TO_POST = "refused to post ("


def refused(platform: str, paused_reason: str | None) -> bool:
    """Paused because the platform refused to post there."""
    return (paused_reason or "").startswith(f"{platform} {REFUSED_TO_POST}")


def pending_posts(db: sqlite_utils.Database) -> dict[int, int]:
    """Posts (stories and their updates) waiting or in flight, by channel pk; a card edit is no
    post (`bot.store.delivery_counts.waiting_counts`)."""
    rows = db.execute(
        "SELECT channel_pk, COUNT(*) FROM deliveries WHERE kind != 'refresh'"
        " AND state IN ('pending', 'sending') GROUP BY channel_pk"
    )
    return {pk: n for pk, n in rows}


def record_schedule_change(db: sqlite_utils.Database, pk: int, *, at: datetime) -> None:
    db.execute("UPDATE channels SET schedule_changed_at = ? WHERE id = ?", [iso(at), pk])


# --- subscriptions ----------------------------------------------------------------------------


def follow(
    db: sqlite_utils.Database, channel_pk: int, topic_slug: str, *, now: datetime | None = None
) -> bool:
    """Subscribe at `now` (default: the clock); False if the channel already followed the topic,
    whose subscription keeps its time: a kept match counts only if kept since then
    (`bot.store.topic_matches`)."""
    if get_topic(db, topic_slug) is None:
        raise UnknownTopicError(topic_slug)
    cursor = db.execute(
        "INSERT OR IGNORE INTO subscriptions (channel_pk, topic_slug, created_at) VALUES (?, ?, ?)",
        [channel_pk, topic_slug, iso(now or utcnow())],
    )
    if cursor.rowcount > 0:
        # A match left from an earlier following (its subscription deleted without the cascade)
        # would hold the row's key, and the new following could never keep that story again.
        db.execute(
            "DELETE FROM topic_matches WHERE channel_pk = ? AND topic_slug = ?",
            [channel_pk, topic_slug],
        )
    return cursor.rowcount > 0


def unfollow(db: sqlite_utils.Database, channel_pk: int, topic_slug: str) -> bool:
    cursor = db.execute(
        "DELETE FROM subscriptions WHERE channel_pk = ? AND topic_slug = ?",
        [channel_pk, topic_slug],
    )
    return cursor.rowcount > 0


def channel_topics(db: sqlite_utils.Database, channel_pk: int) -> list[TopicRow]:
    rows = db.execute_returning_dicts(
        "SELECT t.* FROM topics t JOIN subscriptions s ON s.topic_slug = t.slug"
        " WHERE s.channel_pk = ? ORDER BY t.slug",
        [channel_pk],
    )
    return [
        TopicRow(slug=r["slug"], title=r["title"], query=r["query"], origin=r["origin"])
        for r in rows
    ]


def followed_topics(db: sqlite_utils.Database) -> list[TopicRow]:
    """The topics at least one channel follows."""
    rows = db.execute_returning_dicts(
        "SELECT t.* FROM topics t WHERE EXISTS"
        " (SELECT 1 FROM subscriptions s WHERE s.topic_slug = t.slug) ORDER BY t.slug"
    )
    return [
        TopicRow(slug=r["slug"], title=r["title"], query=r["query"], origin=r["origin"])
        for r in rows
    ]


def topics_and_followed(db: sqlite_utils.Database) -> list[tuple[TopicRow, bool]]:
    """Every topic by slug, each with whether some channel follows it: one read for a card's
    topics and its Follow offer (`bot.runner.cards`), which every card makes, where
    `list_topics` and `followed_topics` took 15 ms between them at 2,000 topics."""
    return [
        (TopicRow(slug=slug, title=title, query=query, origin=origin), bool(followed))
        for slug, title, query, origin, followed in db.execute(
            "SELECT slug, title, query, origin,"
            " EXISTS (SELECT 1 FROM subscriptions s WHERE s.topic_slug = t.slug)"
            " FROM topics t ORDER BY slug"
        )
    ]


def set_subscriptions(db: sqlite_utils.Database, channel_pk: int, slugs: list[str]) -> None:
    """The channel follows `slugs` and no other topic. A topic it follows still is not
    unfollowed on the way: that would forget the matches it keeps (`bot.store.topic_matches`)
    whenever its config entry changed in any other way."""
    db.execute(
        "DELETE FROM subscriptions WHERE channel_pk = ?"
        " AND topic_slug NOT IN (SELECT value FROM json_each(?))",
        [channel_pk, json.dumps(slugs)],
    )
    for slug in slugs:
        follow(db, channel_pk, slug)


def mute_story(db: sqlite_utils.Database, channel_pk: int, story_id: str) -> None:
    db.execute(
        "INSERT OR IGNORE INTO muted_stories (channel_pk, story_id, created_at) VALUES (?, ?, ?)",
        [channel_pk, story_id, iso(utcnow())],
    )


# The `last_error` of an outbox row settled unsent because its story was muted in its channel
# (`bot.delivery.prepare`): what an unmute catches up on (`bot.runner.unmutes`).
MUTED_ERROR = "story muted"


def unmute_story(db: sqlite_utils.Database, channel_pk: int, story_id: str) -> bool:
    """Lift the channel's mute of the story and of the stories merged into it (any of them
    mutes the whole, see `MUTED`); False if none was muted."""
    cursor = db.execute(
        "DELETE FROM muted_stories WHERE channel_pk = ? AND (story_id = ?"
        " OR story_id IN (SELECT id FROM stories WHERE merged_into = ?))",
        [channel_pk, story_id, story_id],
    )
    return cursor.rowcount > 0


@dataclass(frozen=True, slots=True)
class MutedStory:
    story_id: str
    slug: str
    headline: str


def muted_stories(db: sqlite_utils.Database, channel_pk: int) -> list[MutedStory]:
    """The live stories muted in the channel, latest mute first: a mute of a story since merged
    away is shown as the story it is part of now, once."""
    rows = db.execute(
        "SELECT live.id, live.slug, live.headline, MAX(m.created_at) AS muted_at"
        " FROM muted_stories m JOIN stories s ON s.id = m.story_id"
        " JOIN stories live ON live.id = COALESCE(s.merged_into, s.id)"
        " WHERE m.channel_pk = ? GROUP BY live.id ORDER BY muted_at DESC, live.slug",
        [channel_pk],
    ).fetchall()
    return [MutedStory(story_id=r[0], slug=r[1], headline=r[2]) for r in rows]


def muted_story_ids(db: sqlite_utils.Database, channel_pk: int) -> set[str]:
    return {
        r[0]
        for r in db.execute("SELECT story_id FROM muted_stories WHERE channel_pk = ?", [channel_pk])
    }


# A mute of the story itself, or of a story merged into it (a button on an old card).
_MUTED_SQL = """EXISTS (
    SELECT 1 FROM muted_stories m WHERE m.channel_pk = {channel} AND (m.story_id = {story}
        OR m.story_id IN (SELECT id FROM stories WHERE merged_into = {story})))"""
# For a query over deliveries aliased `d`.
MUTED = _MUTED_SQL.format(channel="d.channel_pk", story="d.story_id")


def is_muted(db: sqlite_utils.Database, story_id: str, channel_pk: int) -> bool:
    sql = "SELECT " + _MUTED_SQL.format(channel="?", story="?")
    return bool(db.execute(sql, [channel_pk, story_id, story_id]).fetchone()[0])
