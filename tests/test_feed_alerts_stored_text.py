"""A feed-disabled notice still queued when its feed is disabled again, or whose stored text is
sent: it tells its own disabling, and Discord gets its own /feeds remove form. Real SQLite file."""

from __future__ import annotations

import sqlite_utils

from bot.runner import feed_alerts

FIRST = "2026-11-30T09:00:00+00:00"
SECOND = "2026-12-02T18:30:00+00:00"


def add_disabled_feed(db: sqlite_utils.Database, url: str, reason: str) -> dict[str, object]:
    db.execute(
        "INSERT INTO feeds (id, url, name, origin, created_at, disabled_reason, disabled_at,"
        " consecutive_failures) VALUES (5, ?, 'Harbour Gazette', 'chat', '2026', ?, ?, 3)",
        [url, reason, FIRST],
    )
    [feed] = db.execute_returning_dicts(
        f"SELECT {feed_alerts._FEED_COLUMNS} FROM feeds WHERE id = 5"
    )
    return feed


def test_a_notice_queued_before_its_feed_was_disabled_again_tells_its_own_disabling(
    db: sqlite_utils.Database,
) -> None:
    feed = add_disabled_feed(db, "https://gazette.example/rss", "HTTP 401")
    key = f"feed-disabled:5:{FIRST}"
    stored = feed_alerts.disabled_feed_text(feed)
    # Enabled, then disabled again for another reason while the first notice waited.
    db.execute(
        "UPDATE feeds SET disabled_reason = 'HTTP 500', disabled_at = ?, consecutive_failures = 9"
        " WHERE id = 5",
        [SECOND],
    )
    for platform in ("slack", "discord"):
        sent = feed_alerts.disabled_feed_text_now(db, key, stored, platform)
        assert "HTTP 401" in sent and "HTTP 500" not in sent
        assert "after 3 failed polls" in sent
    # The second disabling's own notice is rendered from the feed as it is.
    now = feed_alerts.disabled_feed_text_now(db, f"feed-disabled:5:{SECOND}", stored, "discord")
    assert "HTTP 500" in now and "/feeds remove feed:#5" in now


def test_discord_gets_its_own_remove_command_in_a_notice_sent_as_stored(
    db: sqlite_utils.Database,
) -> None:
    feed = add_disabled_feed(db, "https://gazette.example/rss?apikey=SECRET", "HTTP 401")
    stored = feed_alerts.disabled_feed_text(feed)
    # The feed renamed since: the stored text is no longer this version's for it, so it goes
    # as stored, its address hidden.
    db.execute("UPDATE feeds SET name = 'Gazette' WHERE id = 5")
    key = f"feed-disabled:5:{FIRST}"
    discord = feed_alerts.disabled_feed_text_now(db, key, stored, "discord")
    assert "Harbour Gazette" in discord and "SECRET" not in discord
    assert "/feeds remove feed:#5" in discord and "/feeds remove #5" not in discord
    slack = feed_alerts.disabled_feed_text_now(db, key, stored, "slack")
    assert "/feeds remove #5" in slack
