"""A feed an older version stored with a port no socket can use (0, or over 65535) in its URL:
adding one is refused now, but the stored row stays. Its polls can never work, so the first one
disables it, with a reason that says what to do (add it again at its right address); it is not
retried with backoff for days until the count of failures disables it, and no other feed is
touched. Real SQLite file, a real feed server on loopback for the feed that works."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from _cli_env import cli_env
from _refused_feeds import words
from click.testing import CliRunner

from bot.cli import cli
from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest.policy import UNUSABLE, unusable_reason
from bot.pipeline.poll import poll_feeds
from bot.runner.feed_alerts import disabled_feed_text
from bot.store import feeds as feed_store
from bot.store.database import iso, open_database

NOW = datetime(2031, 4, 7, 9, 0, tzinfo=UTC)
POLLING = PollingConfig(allow_private_networks=True, timeout=5.0, max_failures=5)
PORT_0 = "http://127.0.0.1:0/rss"
PORT_99999 = "https://news.example:99999/rss"
RSS = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Valley news'
    b"</title><link>https://valley.example/</link><item><title>Ferry timetable changes</title>"
    b"<link>https://valley.example/ferry</link><description>Two sailings move an hour earlier."
    b"</description></item></channel></rss>"
)


def _stored_by_an_old_version(db_path: Path, url: str) -> int:
    """A feed row as a version before the port check wrote it: the URL as typed."""
    db = open_database(db_path)
    try:
        return int(
            db["feeds"]
            .insert({"url": url, "poll_interval": 1800, "origin": "cli", "created_at": iso(NOW)})
            .last_pk
        )
    finally:
        db.close()


async def test_a_stored_impossible_port_disables_the_feed_at_its_next_poll_saying_what_to_do(
    server: FeedServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server.route("/rss", Reply(body=RSS))
    path = tmp_path / "nd.db"
    zero = _stored_by_an_old_version(path, PORT_0)
    big = _stored_by_an_old_version(path, PORT_99999)
    db = open_database(path)
    good = feed_store.add_feed(db, server.url("/rss"))
    caplog.set_level(logging.INFO)

    report = await poll_feeds(db, POLLING, now=NOW)

    feeds = {f.id: f for f in feed_store.list_feeds(db)}
    for feed_id, port in ((zero, 0), (big, 99999)):
        feed = feeds[feed_id]
        assert feed.disabled_reason is not None
        assert feed.disabled_reason.startswith(UNUSABLE)
        assert f"invalid port {port} in " in feed.disabled_reason
        assert "add the feed again at its right address" in feed.disabled_reason
        assert feed.consecutive_failures == 1
    # The other feed is polled as ever.
    assert feeds[good.id].disabled_reason is None
    assert feeds[good.id].last_error is None
    assert [a.title for a in report.new_articles] == ["Ferry timetable changes"]
    # Said by the pass's report (`poll` prints it; `run` logs it once, with its alert).
    assert sorted(r.feed.id for r in report.feeds if r.status == "disabled") == sorted([zero, big])

    # Said once: a later pass does not poll them, nor say it again.
    caplog.clear()
    await poll_feeds(db, POLLING, now=NOW + timedelta(days=2))
    assert not [r for r in caplog.records if "disabled" in r.message or "failed" in r.message]
    assert feed_store.get_feed(db, PORT_0).consecutive_failures == 1  # type: ignore[union-attr]
    db.close()


def test_the_alert_tells_to_add_it_again_not_to_re_enable_it(tmp_path: Path) -> None:
    reason = unusable_reason(f"invalid port 0 in {PORT_0!r} (1 to 65535)")
    text = disabled_feed_text(
        {
            "id": 4,
            "url": PORT_0,
            "name": None,
            "title": None,
            "origin": "cli",
            "disabled_reason": reason,
            "consecutive_failures": 1,
        }
    )
    assert "feeds enable" not in text
    assert "after 1 failed poll" not in text
    assert "/feeds remove" in text


def test_feeds_enable_leaves_it_disabled_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_env(tmp_path, monkeypatch)
    feed_id = _stored_by_an_old_version(tmp_path / "nd.db", PORT_99999)
    db = open_database(tmp_path / "nd.db")
    reason = unusable_reason(f"invalid port 99999 in {PORT_99999!r} (1 to 65535)")
    feed_store.update_feed(db, feed_id, disabled_reason=reason, consecutive_failures=1)
    db.close()

    result = CliRunner().invoke(cli, ["feeds", "enable", str(feed_id)])

    assert result.exit_code != 0
    assert "invalid port 99999" in result.output
    db = open_database(tmp_path / "nd.db")
    try:
        assert feed_store.list_feeds(db)[0].disabled_reason == reason
    finally:
        db.close()


def test_the_poll_command_says_it_is_disabled_and_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_env(tmp_path, monkeypatch)
    _stored_by_an_old_version(tmp_path / "nd.db", PORT_99999)

    result = CliRunner().invoke(cli, ["poll"])

    assert result.exit_code == 1
    reason = unusable_reason(f"invalid port 99999 in {PORT_99999!r} (1 to 65535)")
    said = words(result.output)
    assert f"✗ {PORT_99999}: disabled: {reason}" in said
    # Not "feeds enable ID once fixed", which leaves it disabled.
    assert "feeds enable" not in said
    assert said.endswith(
        "1 feed disabled by this poll for an unusable address, as said above (newsdigest feeds"
        " add URL at its right address, then newsdigest feeds remove ID)."
    )
