"""Syncing the config file into the database at start.

The config is the seed; chat commands edit the database afterwards. Each synced row remembers a
hash of the config entry it came from, and is only overwritten when that entry changes, so a
setting changed in chat survives restarts until the admin edits the same entry in the file.
Entries removed from the file are removed from the database only if the file created them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

import sqlite_utils

from bot.config import Config
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store.database import iso, transaction, utcnow


@dataclass(slots=True)
class SyncReport:
    feeds_added: int = 0
    feeds_updated: int = 0
    feeds_removed: int = 0
    topics_synced: int = 0
    channels_synced: int = 0


def _hash(entry: Any) -> str:
    return hashlib.sha256(json.dumps(asdict(entry), sort_keys=True).encode()).hexdigest()[:16]


def sync_config(db: sqlite_utils.Database, config: Config) -> SyncReport:
    report = SyncReport()
    with transaction(db):
        _sync_feeds(db, config, report)
        _sync_topics(db, config, report)
        _sync_channels(db, config, report)
    return report


def _sync_feeds(db: sqlite_utils.Database, config: Config, report: SyncReport) -> None:
    wanted = {f.url: f for f in config.feeds}
    for row in db.execute_returning_dicts(
        "SELECT id, url, config_hash FROM feeds WHERE origin = 'config'"
    ):
        if row["url"] not in wanted:
            feed_store.remove_feed(db, row["id"])
            report.feeds_removed += 1
    for feed in config.feeds:
        digest = _hash(feed)
        existing = feed_store.get_feed(db, feed.url)
        if existing is None:
            feed_store.add_feed(
                db,
                feed.url,
                name=feed.name,
                interval=feed.interval,
                origin="config",
                config_hash=digest,
            )
            report.feeds_added += 1
            continue
        stored_hash = db.execute(
            "SELECT config_hash FROM feeds WHERE id = ?", [existing.id]
        ).fetchone()[0]
        if stored_hash != digest:
            feed_store.update_feed(
                db,
                existing.id,
                name=feed.name,
                poll_interval=feed.interval,
                origin="config",
                config_hash=digest,
            )
            report.feeds_updated += 1


def _sync_topics(db: sqlite_utils.Database, config: Config, report: SyncReport) -> None:
    wanted = {t.slug for t in config.topics}
    for row in db.execute_returning_dicts("SELECT slug FROM topics WHERE origin = 'config'"):
        if row["slug"] not in wanted:
            channel_store.remove_topic(db, row["slug"])
    for topic in config.topics:
        digest = _hash(topic)
        row = db.execute("SELECT config_hash FROM topics WHERE slug = ?", [topic.slug]).fetchone()
        if row is None or row[0] != digest:
            channel_store.upsert_topic(
                db, topic.slug, topic.query, title=topic.title, origin="config", config_hash=digest
            )
            report.topics_synced += 1


def _sync_channels(db: sqlite_utils.Database, config: Config, report: SyncReport) -> None:
    for channel in config.channels:
        digest = _hash(channel)
        row = db.execute(
            "SELECT id, config_hash FROM channels WHERE platform = ? AND channel_id = ?",
            [channel.platform, channel.id],
        ).fetchone()
        if row is not None and row[1] == digest:
            continue
        fields = {
            "name": channel.name,
            "schedule": channel.schedule,
            "timezone": channel.timezone,
            "mode": channel.mode,
            "min_sources": channel.min_sources,
            "quiet_hours": channel.quiet_hours,
            "webhook_url": channel.webhook_url,
            "origin": "config",
            "config_hash": digest,
        }
        if row is None:
            db["channels"].insert(
                {
                    "platform": channel.platform,
                    "channel_id": channel.id,
                    "created_at": iso(utcnow()),
                    **fields,
                }
            )
            pk = channel_store.get_channel(db, channel.platform, channel.id).id  # type: ignore[union-attr]
        else:
            pk = row[0]
            db["channels"].update(pk, fields)
        channel_store.set_subscriptions(db, pk, channel.topics)
        report.channels_synced += 1
