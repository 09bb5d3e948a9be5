"""Syncing the config file into the database at start.

The config is the seed; chat commands edit the database afterwards. Each synced row remembers a
hash of the config entry it came from, and is only overwritten when that entry changes, so a
setting changed in chat survives restarts until the admin edits the same entry in the file.
Feeds and topics removed from the file are removed from the database only if the file created
them; a channel removed from the file is paused (its delivery history stays), and un-paused
when it comes back; one its platform refused (paused by the outbox), when its entry's
`webhook_url` changes, a new way to post (`SyncReport.lifted_pauses` says so).

The file is the source of truth for what it declares, including a feed, topic or channel that
was added before by command (`feeds add`, `feeds import`, `topics add`) or in chat: the file
takes it over, which the sync says once (`sync_report.sync_notes`), and the row remembers its
origin (`origin_before_config`). Taking the entry out of the file hands the row back to that origin,
as the file left it, rather than deleting (or pausing) it: the file may only take away what it
made. Declining to take such a row over instead would leave the file's entry silently without
effect, and an admin reading the file could no longer tell what the bot does.

A channel's topic may be one the file declares or one already in the database (`topics add`,
chat's /follow): only the sync, which sees both, can tell a name found in neither, and refuses
the whole config naming the key (nothing is applied).

A feed whose address polling refuses (loopback, private, link-local: `bot.feedaddress`, as
`feeds add`, `/feeds add` and `feeds import` refuse it) is not synced, and the rest of the file
is: the sync says which entry and why (`sync_report.sync_notes`), at every start, until the entry or
`polling.allow_private_networks` changes. Stored, it would only be disabled at its first poll, as
a feed whose host name resolves to such an address is (`bot.ingest.policy`: the sync resolves no
names), and stay so until `feeds enable`, where skipping it follows the file.
A row the file made for such an entry (stored by a version before this check) is removed, as if
the entry were out of the file: polling refused it every time, so it holds no history worth a
disabled row (its articles stay, as with any removed feed), and one rule then holds whichever
version stored it. A row the file took over from a command is handed back, as the file may only
take away what it made.

Only a config file that was found is synced: with none (the default path missing, e.g. a command
run from another directory, or the operator's copy moved away) nothing is added or removed, so a
stray run cannot wipe what the real file declared. That holds when the shipped example is read in
the default file's place (`bot.config.load_config`): its settings apply, its empty lists are not
synced.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import sqlite_utils

from bot.config import ChannelConfig, Config, ConfigError
from bot.feedaddress import refusal
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store.channels import refused
from bot.store.database import iso, transaction, utcnow
from bot.store.queued_posts import return_to_digest_pool
from bot.store.sync_report import SyncReport, added_by, replaced_in_chat
from bot.store.sync_report import entry_hash as _hash

log = logging.getLogger(__name__)

# Also how a channel back in the file is recognised as paused by us, not by a person in chat.
REMOVED_FROM_CONFIG = "removed from the config file (/watchlist resume to keep it)"
# The origin of a channel the file made and then left out: managed from chat from then on (a
# resume sticks), and, back in the file, the file's again, not "added in chat".
LEFT_BY_CONFIG = "config_removed"
# The pause `run` gives the terminal channel it made once a chat platform is configured
# (`bot.runner.console`). Here because the file taking that channel over lifts it: a channel the
# operator declares never stands in for anything.
STANDING_IN = (
    "a chat platform is configured: this terminal channel stood in for one while none was, so "
    "`newsdigest run` pauses it (`newsdigest channels remove console:terminal` deletes it)"
)


def sync_config(db: sqlite_utils.Database, config: Config, *, retry: str = "restart") -> SyncReport:
    """Sync the config into `db`, all or nothing: ConfigError (naming the key) for a channel
    following a topic neither the file nor the database has. `retry` ends the note on a feed
    entry whose address is refused ("…, then restart"): what to do once the setting allows it
    with the command that syncs, since `run` syncs at start and `poll` each time it runs."""
    report = SyncReport()
    if config.missing_path is not None:
        log.debug("no config file at %s: the database is left as it is", config.missing_path)
        report.skipped = True
        return report
    with transaction(db):
        _sync_feeds(db, config, report, retry)
        _sync_topics(db, config, report)
        _check_channel_topics(db, config)
        _sync_channels(db, config, report)
    return report


def refused_feeds(config: Config, retry: str) -> dict[str, str]:
    """The declared feeds polling would refuse, by URL: "feeds[i] (URL): not synced: why";
    `config check` warns of the same lines before any sync."""
    allow = config.polling.allow_private_networks
    refused: dict[str, str] = {}
    for i, feed in enumerate(config.feeds):
        why = refusal(feed.url, allow, retry=retry)
        if why is not None:
            refused[feed.url] = f"feeds[{i}] ({feed.url}): not synced: {why}"
    return refused


def _sync_feeds(db: sqlite_utils.Database, config: Config, report: SyncReport, retry: str) -> None:
    refused = refused_feeds(config, retry)
    wanted = {f.url: f for f in config.feeds if f.url not in refused}
    # Config feeds are matched on the URL the file names (config_url), not the URL polled: a 301
    # moves the latter, and the move, validators and history must survive restarts.
    for row in db.execute_returning_dicts(
        "SELECT id, COALESCE(config_url, url) AS named, origin_before_config AS before"
        " FROM feeds WHERE origin = 'config'"
    ):
        if row["named"] in wanted:
            continue
        named = row["named"]
        if row["before"]:
            # Not the file's to delete. config_url stays, so declaring it again finds it.
            feed_store.update_feed(
                db, row["id"], origin=row["before"], origin_before_config=None, config_hash=None
            )
            if named in refused:
                was = added_by("feed", row["before"])
                refused[named] += f"; the feed, {was}, is no longer managed by the file"
            else:
                report.handed_back.append(f"feed {named}, {added_by('feed', row['before'])}")
        else:
            feed_store.remove_feed(db, row["id"])
            report.feeds_removed += 1
            if named in refused:
                refused[named] += "; the feed an earlier version stored for it is removed"
            else:
                report.removed_feeds.append(named)
    report.refused_feeds.extend(refused.values())
    for feed in config.feeds:
        if feed.url in refused:
            continue
        digest = _hash(feed)
        found = db.execute(
            "SELECT id, config_hash, origin FROM feeds WHERE config_url = ? OR url = ?"
            " ORDER BY config_url IS NULL LIMIT 1",
            [feed.url, feed.url],
        ).fetchone()
        if found is None:
            added = feed_store.add_feed(
                db,
                feed.url,
                name=feed.name,
                interval=feed.interval,
                origin="config",
                config_hash=digest,
            )
            feed_store.update_feed(db, added.id, config_url=feed.url)
            report.feeds_added += 1
            continue
        taken: dict[str, Any] = {}
        if found[2] != "config":
            taken = {"origin_before_config": found[2]}
            report.taken_over.append(f"feed {feed.url}, {added_by('feed', found[2])}")
        if taken or found[1] != digest:
            feed_store.update_feed(
                db,
                found[0],
                name=feed.name,
                poll_interval=feed.interval,
                origin="config",
                config_hash=digest,
                config_url=feed.url,
                **taken,
            )


def _sync_topics(db: sqlite_utils.Database, config: Config, report: SyncReport) -> None:
    wanted = {t.slug for t in config.topics}
    for row in db.execute_returning_dicts(
        "SELECT slug, origin_before_config AS before FROM topics WHERE origin = 'config'"
    ):
        if row["slug"] in wanted:
            continue
        if row["before"]:
            # Not the file's to delete: it stays, with the query the file gave it, and the
            # channels following it keep it.
            db.execute(
                "UPDATE topics SET origin = ?, origin_before_config = NULL, config_hash = NULL"
                " WHERE slug = ?",
                [row["before"], row["slug"]],
            )
            report.handed_back.append(f"topic {row['slug']}, {added_by('topic', row['before'])}")
        else:
            channel_store.remove_topic(db, row["slug"])
            report.removed_topics.append(row["slug"])
    for topic in config.topics:
        digest = _hash(topic)
        row = db.execute(
            "SELECT config_hash, origin FROM topics WHERE slug = ?", [topic.slug]
        ).fetchone()
        if row is None:
            report.topics_recreated.add(topic.slug)
            report.added_topics.append(topic.slug)
        taken = row is not None and row[1] != "config"
        if row is None or taken or row[0] != digest:
            channel_store.upsert_topic(
                db, topic.slug, topic.query, title=topic.title, origin="config", config_hash=digest
            )
        if taken:
            db.execute(
                "UPDATE topics SET origin_before_config = ? WHERE slug = ?", [row[1], topic.slug]
            )
            report.taken_over.append(f"topic {topic.slug}, {added_by('topic', row[1])}")


def _check_channel_topics(db: sqlite_utils.Database, config: Config) -> None:
    """A channel's topic is one the file declares or one in the database (run after the
    topics' sync, so a topic the file just removed is gone)."""

    def stored(slug: str) -> bool:
        return db.execute("SELECT 1 FROM topics WHERE slug = ?", [slug]).fetchone() is not None

    if (error := unknown_channel_topic(config, stored)) is not None:
        raise error


def unknown_channel_topic(config: Config, stored: Callable[[str], bool]) -> ConfigError | None:
    """The error for the first channel topic the file does not declare and `stored` (whether the
    database has it) says is not in the database; None when every one is known. `config check`
    asks it too, of the database as it is (none yet: no topic), as the sync will."""
    declared = {t.slug for t in config.topics}
    for i, channel in enumerate(config.channels):
        for j, slug in enumerate(channel.topics):
            if slug in declared or stored(slug):
                continue
            return ConfigError(
                f"channels[{i}].topics[{j}]",
                f"unknown topic {slug!r}: neither under [[topics]] in the file nor in the "
                f"database (define it under [[topics]], or add it with `newsdigest topics add "
                f"{slug} QUERY`)",
                config.path,
            )
    return None


def _sync_channels(db: sqlite_utils.Database, config: Config, report: SyncReport) -> None:
    wanted = {(c.platform, c.id) for c in config.channels}
    # A channel removed from the file is paused, not deleted: its delivery history is what stops
    # it getting the same stories again if it comes back. It becomes chat-managed, so a resume in
    # chat sticks. One the file took over is handed back, unpaused: the file did not start it.
    for row in db.execute_returning_dicts(
        "SELECT id, platform, channel_id, name, origin_before_config AS before, paused_reason"
        " FROM channels WHERE origin = 'config'"
    ):
        if (row["platform"], row["channel_id"]) in wanted:
            continue
        key = f"{row['platform']}:{row['channel_id']}"
        named = f"{row['name']} ({key})" if row["name"] else key
        if row["before"]:
            db.table("channels").update(
                row["id"],
                {"origin": row["before"], "origin_before_config": None, "config_hash": None},
            )
            report.handed_back.append(f"channel {named}, {added_by('channel', row['before'])}")
            continue
        db.table("channels").update(
            row["id"],
            {
                "origin": LEFT_BY_CONFIG,
                "config_hash": None,
                "paused_reason": REMOVED_FROM_CONFIG,
                # A pause it had (asked for in chat, a fault) is what its return restores.
                "paused_before_config": row["paused_reason"],
                "paused_at": iso(utcnow()),
            },
        )
        report.channels_paused += 1
        report.paused_channels.append(named)
    for channel in config.channels:
        digest = _hash(channel)
        row = db.execute(
            "SELECT id, config_hash, paused_reason, origin, webhook_url, mode,"
            " paused_before_config FROM channels WHERE platform = ? AND channel_id = ?",
            [channel.platform, channel.id],
        ).fetchone()
        if row is not None and row[3] == "config" and row[1] == digest:
            # Unchanged entry: chat's /follow and /unfollow stand, but a config topic that was
            # deleted and has just been re-created is followed again, or the channel's topic
            # filter would vanish and its digest widen to every story.
            for slug in channel.topics:
                if slug in report.topics_recreated:
                    channel_store.follow(db, row[0], slug)
            continue
        fields = {
            "name": channel.name,
            "schedule": channel.schedule,
            "timezone": channel.timezone,
            "mode": channel.mode,
            "min_sources": channel.min_sources,
            "digest_size": channel.digest_size,
            "quiet_hours": channel.quiet_hours,
            "webhook_url": channel.webhook_url,
            "origin": "config",
            "config_hash": digest,
        }
        if row is None:
            db.table("channels").insert(
                {
                    "platform": channel.platform,
                    "channel_id": channel.id,
                    "created_at": iso(utcnow()),
                    **fields,
                }
            )
            pk = channel_store.get_channel(db, channel.platform, channel.id).id  # type: ignore[union-attr]
            report.added_channels.append(_named(channel))
        else:
            pk = row[0]
            if row[3] == "config":
                _say_replaced(db, channel, pk, row[1], report)
            # Back in the file: lift our own pause, but not one set for another reason (the bot
            # removed from the channel, a person pausing it in chat), even one it had before
            # it left the file.
            if row[2] == REMOVED_FROM_CONFIG and row[6]:
                fields["paused_reason"] = row[6]
                fields["paused_before_config"] = None
                report.back_kept_paused.append(f"{_named(channel)} (paused: {row[6]})")
            elif row[2] == REMOVED_FROM_CONFIG:
                fields["paused_reason"] = None
                fields["paused_at"] = None
                report.channels_resumed += 1
                report.back_paused.append(_named(channel))
            elif row[2] == STANDING_IN:
                # The runner's terminal stand-in, now declared: the runner no longer manages it,
                # so nothing else would ever lift its pause.
                fields["paused_reason"] = None
                fields["paused_at"] = None
                report.channels_resumed += 1
                report.lifted_pauses.append(
                    f"channel {_named(channel)}: the file declares it, so the pause `run` gave "
                    "it as a stand-in for a chat platform is lifted"
                )
            elif row[3] == LEFT_BY_CONFIG:
                # Resumed in chat or with `channels resume` after it left the file: kept since.
                report.back_kept.append(_named(channel))
            elif refused(channel.platform, row[2]) and row[4] != channel.webhook_url:
                # Its platform refused it, and it now posts another way (a new webhook_url, or
                # the bot): tried again, as a webhook-only channel has no /watchlist resume. A new
                # id is another row, never paused.
                fields["paused_reason"] = None
                fields["paused_at"] = None
                report.channels_resumed += 1
                report.lifted_pauses.append(
                    f"channel {_named(channel)}: its webhook_url changed, so its pause is lifted "
                    f"and posting resumes (it was paused: {row[2]})"
                )
                log.info(
                    "channel %s:%s: webhook_url changed, pause lifted", channel.platform, channel.id
                )
            if row[3] not in ("config", LEFT_BY_CONFIG) and row[2] != REMOVED_FROM_CONFIG:
                # Added in chat (or by `run`) before the file declared it.
                fields["origin_before_config"] = row[3]
                report.taken_over.append(
                    f"channel {_named(channel)}, {added_by('channel', row[3])}"
                )
            db.table("channels").update(pk, fields)
            if row[5] == "instant" and channel.mode == "digest":
                # As a switch in chat does: its waiting instant posts wait for the schedule.
                return_to_digest_pool(db, pk)
        channel_store.set_subscriptions(db, pk, channel.topics)


def _say_replaced(
    db: sqlite_utils.Database, channel: ChannelConfig, pk: int, stored: str, report: SyncReport
) -> None:
    """Record the chat settings the channel's changed entry is about to replace."""
    current = db.execute_returning_dicts("SELECT * FROM channels WHERE id = ?", [pk])[0]
    topics = [t.slug for t in channel_store.channel_topics(db, pk)]
    if replaced := replaced_in_chat(channel, current, topics, stored):
        report.chat_replaced.append(f"{_named(channel)}: {'; '.join(replaced)}")


def _named(channel: ChannelConfig) -> str:
    key = f"{channel.platform}:{channel.id}"
    return f"{channel.name} ({key})" if channel.name else key
