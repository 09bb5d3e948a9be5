"""The first retry of the feeds an older version disabled by the count ("disabled after 10
consecutive failures"). After the upgrade they were months overdue: `run` retried every one of
them within its first few minutes (at most a 1-minute feed's interval), hundreds of dead hosts
at once. There a daily retry missed by over a day is given a stable time within the next hour,
the jitter every daily retry gets. `newsdigest poll` tries them in its pass, after the enabled
feeds: its next pass may be days away, and one moved past this pass was never tried. One due
within its day is tried on time by both. The CLI against the loopback feed server, and `run`'s
poller opened on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from _cli_env import cli_env
from click.testing import CliRunner
from fakes.cores import local_core

from bot.cli import cli
from bot.feedserver import FeedServer, Reply
from bot.runner.polling import Poller
from bot.store import feeds as feed_store
from bot.store.database import iso, open_database, utcnow

T0 = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)
OLD_REASON = "disabled after 10 consecutive failures; last error: HTTP 503"


def _old_disabled(db_path: Path, urls: list[str], due: datetime, interval: int = 900) -> None:
    """Feeds an older release disabled by the count, due (by their old backoff) at `due`."""
    db = open_database(db_path)
    try:
        for url in urls:
            feed = feed_store.add_feed(db, url, interval=interval)
            db.execute(
                "UPDATE feeds SET disabled_reason = ?, disabled_at = ?, consecutive_failures = 10,"
                " failing_since = ?, next_poll_at = ? WHERE id = ?",
                [OLD_REASON, iso(due), iso(due - timedelta(days=2)), iso(due), feed.id],
            )
        db.conn.commit()
    finally:
        db.close()


RSS = (
    b'<rss version="2.0"><channel><title>Quay Desk</title><item><guid>q1</guid>'
    b"<title>Quay notice one</title><link>https://q.example/1</link></item></channel></rss>"
)


def test_the_first_poll_after_the_upgrade_tries_them_after_the_enabled_feeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: FeedServer
) -> None:
    # One fetch at a time, so the order the pass fetches in is the order the server saw.
    cli_env(tmp_path, monkeypatch, "[polling]\nallow_private_networks = true\ntotal_limit = 1\n")
    server.route("/dead", Reply(status=503, body=b"down"))
    server.route("/live", Reply(body=RSS))
    urls = [server.url(f"/dead?n={n}") for n in range(8)]
    _old_disabled(tmp_path / "nd.db", urls, utcnow() - timedelta(days=120))
    db = open_database(tmp_path / "nd.db")
    live = feed_store.add_feed(db, server.url("/live"), interval=900)
    db.execute(  # due, but long after the retries' missed day
        "UPDATE feeds SET next_poll_at = ? WHERE id = ?",
        [iso(utcnow() - timedelta(minutes=1)), live.id],
    )
    db.conn.commit()
    db.close()
    result = CliRunner().invoke(cli, ["poll"])
    said = " ".join(result.output.split())
    assert "8 feeds disabled for failures missed their daily try by over a day" in said
    assert "tried in this pass, after the enabled feeds" in said
    assert len(server.requests_to("/dead")) == 8
    assert server.requests[0].path == "/live"


def _shift(db_path: Path, feed_id: int, days: int) -> None:
    """Time passing: the feed's next try moved `days` earlier."""
    db = open_database(db_path)
    try:
        feed = feed_store.get_feed(db, feed_id)
        assert feed is not None and feed.next_poll_at is not None
        db.execute(
            "UPDATE feeds SET next_poll_at = ? WHERE id = ?",
            [iso(feed.next_poll_at - timedelta(days=days)), feed_id],
        )
        db.conn.commit()
    finally:
        db.close()


def test_a_poll_every_other_day_still_retries_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: FeedServer
) -> None:
    # A cron `poll` every two days: each pass finds the daily try missed by over a day. Moved
    # into the next hour, it was past the pass, and missed by over a day again at the next one.
    cli_env(tmp_path, monkeypatch, "[polling]\nallow_private_networks = true\n")
    server.route("/dead", Reply(status=503, body=b"down"))
    _old_disabled(tmp_path / "nd.db", [server.url("/dead")], utcnow() - timedelta(days=2))
    for _ in range(3):
        CliRunner().invoke(cli, ["poll"])
        _shift(tmp_path / "nd.db", 1, days=2)
    assert len(server.requests_to("/dead")) == 3


def test_a_retry_due_within_its_day_is_still_tried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: FeedServer
) -> None:
    cli_env(tmp_path, monkeypatch, "[polling]\nallow_private_networks = true\n")
    server.route("/dead", Reply(status=503, body=b"down"))
    _old_disabled(tmp_path / "nd.db", [server.url("/dead")], utcnow() - timedelta(hours=3))
    CliRunner().invoke(cli, ["poll"])
    assert len(server.requests_to("/dead")) == 1


async def test_run_spreads_them_over_the_hour_not_a_feeds_interval(tmp_path: Path) -> None:
    # 1-minute feeds: the start's spread fitted them all into their first minute.
    urls = [f"https://q{n}.example/rss" for n in range(30)]
    _old_disabled(tmp_path / "nd.db", urls, T0 - timedelta(days=120), interval=60)
    with local_core(tmp_path) as core:

        async def on_pass(_report: object) -> None:
            return None

        poller = Poller(core, on_pass, clock=lambda: T0)
        await poller.open()
        try:
            due = [f.next_poll_at for f in feed_store.list_feeds(core.db)]
            in_first_minute = feed_store.due_feeds(core.db, T0 + timedelta(minutes=1))
        finally:
            await poller.close(0)
    assert all(d is not None and T0 <= d < T0 + timedelta(hours=1) for d in due)
    assert len(in_first_minute) <= 5
