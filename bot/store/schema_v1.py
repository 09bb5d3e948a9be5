"""The schema as the first version created it: migration 1, kept word for word so a new database
is built by the same steps an old one went through (later changes are migrations 2 onwards, in
bot.store.migrations)."""

from __future__ import annotations

import sqlite_utils


def create_initial_schema(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            name TEXT,
            title TEXT,
            site_url TEXT,
            poll_interval INTEGER NOT NULL DEFAULT 900,
            origin TEXT NOT NULL DEFAULT 'cli',
            config_hash TEXT,
            etag TEXT,
            last_modified TEXT,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            next_poll_at TEXT,
            last_polled_at TEXT,
            last_success_at TEXT,
            last_error TEXT,
            disabled_reason TEXT,
            disabled_at TEXT,
            ttl_minutes INTEGER,
            created_at TEXT NOT NULL
        );
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
            source TEXT NOT NULL,
            guid TEXT,
            url TEXT,
            canonical_url TEXT,
            title TEXT NOT NULL,
            title_key TEXT NOT NULL,
            text TEXT NOT NULL,
            author TEXT,
            published TEXT,
            seen_at TEXT NOT NULL,
            story_id TEXT REFERENCES stories(id)
        );
        CREATE UNIQUE INDEX articles_feed_guid ON articles(feed_id, guid) WHERE guid IS NOT NULL;
        CREATE UNIQUE INDEX articles_canonical_url ON articles(canonical_url)
            WHERE canonical_url IS NOT NULL;
        CREATE UNIQUE INDEX articles_source_title ON articles(source, title_key);
        CREATE INDEX articles_story ON articles(story_id);
        CREATE INDEX articles_seen ON articles(seen_at);
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            headline TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_updated TEXT NOT NULL,
            article_count INTEGER NOT NULL DEFAULT 0,
            outlet_count INTEGER NOT NULL DEFAULT 0,
            source_count INTEGER NOT NULL DEFAULT 0,
            merged_into TEXT REFERENCES stories(id),
            summary_json TEXT,
            summary_article_count INTEGER
        );
        CREATE INDEX stories_last_updated ON stories(last_updated);
        CREATE TABLE story_aliases (
            slug TEXT PRIMARY KEY,
            story_id TEXT NOT NULL REFERENCES stories(id),
            created_at TEXT NOT NULL
        );
        CREATE TABLE topics (
            slug TEXT PRIMARY KEY,
            title TEXT,
            query TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'cli',
            config_hash TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE channels (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            name TEXT,
            schedule TEXT NOT NULL,
            timezone TEXT NOT NULL,
            mode TEXT NOT NULL DEFAULT 'digest',
            min_sources INTEGER NOT NULL DEFAULT 2,
            quiet_hours TEXT,
            webhook_url TEXT,
            paused_reason TEXT,
            origin TEXT NOT NULL DEFAULT 'chat',
            config_hash TEXT,
            created_at TEXT NOT NULL,
            UNIQUE(platform, channel_id)
        );
        CREATE TABLE subscriptions (
            channel_pk INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
            topic_slug TEXT NOT NULL REFERENCES topics(slug) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            PRIMARY KEY (channel_pk, topic_slug)
        );
        CREATE TABLE muted_stories (
            channel_pk INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (channel_pk, story_id)
        );
        CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY,
            story_id TEXT NOT NULL REFERENCES stories(id),
            channel_pk INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
            kind TEXT NOT NULL DEFAULT 'story',
            state TEXT NOT NULL DEFAULT 'pending',
            nonce TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            message_ref TEXT,
            thread_ref TEXT,
            source_count INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            sent_at TEXT,
            CHECK (state IN ('pending', 'sending', 'sent', 'failed'))
        );
        CREATE UNIQUE INDEX deliveries_story_channel ON deliveries(story_id, channel_pk)
            WHERE kind = 'story';
        CREATE INDEX deliveries_state ON deliveries(state);
        """
    )
