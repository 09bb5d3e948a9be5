"""Feeds an older version disabled for an internal error (counted as the feed's failure then: a
module missing after `git pull` without `pip install` disabled every feed after 10 polls) are
enabled again by the next `poll` and at `run`'s start, failures reset, due at once, logged once.
Feeds disabled for a real failure, a refused address or a 410 stay disabled. A real SQLite file
with the rows the old code wrote, a real feed server on loopback, the real CLI and poller."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from _refused_feeds import RSS, refused_config, words
from click.testing import CliRunner
from test_runner_new_feeds_spread import _Core, _drain, _ignore

from bot.cli import cli
from bot.feedserver import FeedServer, Reply
from bot.runner.polling import Poller
from bot.store import feeds as feed_store
from bot.store.database import iso, open_database

T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)
MISSING = "internal error: ModuleNotFoundError: No module named 'publicsuffixlist'"
CRASHED = "polling crashed: ModuleNotFoundError: No module named 'publicsuffixlist'"
REFUSED = (
    "refused: link-local address 169.254.169.254, which no setting allows; fix the address, "
    "then re-enable the feed (newsdigest feeds enable)"
)
GONE = "feed is gone (HTTP 410); remove it or re-enable it by hand"


def _by_count(error: str) -> str:
    return f"disabled after 10 consecutive failures; last error: {error}"


# (path, disabled_reason, last_error, enabled again?) as the old code left them.
OLD_ROWS = [
    ("/missing", _by_count(MISSING), MISSING, True),
    ("/crashed", _by_count(CRASHED), CRASHED, True),  # the poller's crash, worded as it was
    ("/down", _by_count("HTTP 500"), "HTTP 500", False),
    ("/refused", REFUSED, "refused: link-local address 169.254.169.254", False),
    ("/gone", GONE, "HTTP 410 Gone", False),
    # The reason names a real failure, whatever error was stored after it.
    ("/mixed", _by_count("HTTP 500"), MISSING, False),
]


def _disable_as_old_code_did(db: sqlite_utils.Database, url: str, reason: str, error: str) -> int:
    feed = feed_store.add_feed(db, url)
    db.execute(
        "UPDATE feeds SET disabled_reason = ?, last_error = ?, consecutive_failures = 10,"
        " disabled_at = ?, next_poll_at = ?, last_polled_at = ?, alert_sent_at = ? WHERE id = ?",
        [reason, error, iso(T0), iso(T0 + timedelta(days=1)), iso(T0), iso(T0), feed.id],
    )
    db.conn.commit()
    return feed.id


def _old_database(db: sqlite_utils.Database, server: FeedServer) -> dict[str, int]:
    ids = {}
    for path, reason, error, _ in OLD_ROWS:
        server.route(path, Reply(body=RSS, content_type="application/rss+xml"))
        ids[path] = _disable_as_old_code_did(db, server.url(path), reason, error)
    return ids


def test_poll_enables_feeds_an_internal_error_disabled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused_config(tmp_path, monkeypatch)
    runner = CliRunner()
    with FeedServer({}) as server:
        db = open_database(tmp_path / "nd.db")
        ids = _old_database(db, server)
        db.close()
        result = runner.invoke(cli, ["poll"])
        said = words(result.output)
        db = open_database(tmp_path / "nd.db")
        try:
            for path, _, _, enabled in OLD_ROWS:
                feed = feed_store.get_feed(db, ids[path])
                assert feed is not None
                if enabled:
                    assert f"Enabled feed {feed.id} again" in said
                    assert feed.disabled_reason is None
                    assert feed.consecutive_failures == 0
                    assert feed.last_error is None  # polled in this very pass, and read
                else:
                    assert f"Enabled feed {feed.id} again" not in said
                    assert feed.disabled_reason is not None
            assert sorted(r.path for r in server.requests) == ["/crashed", "/missing"]
            assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1

            again = runner.invoke(cli, ["poll", "--all"])
            assert "Enabled feed" not in again.output  # done once, not at every pass
        finally:
            db.close()


async def test_run_start_enables_them_due_at_once_and_logs_each_once(
    server: FeedServer, db: sqlite_utils.Database, caplog: pytest.LogCaptureFixture
) -> None:
    ids = _old_database(db, server)
    started = T0 + timedelta(hours=2)
    caplog.set_level(logging.INFO, logger="bot.pipeline.internal_recovery")
    poller = Poller(_Core(db), _ignore, clock=lambda: started)  # type: ignore[arg-type]
    await poller.open(spread=0)
    assert await poller.tick() == 2  # due now, not at the day's backoff they were given
    await _drain(poller)
    await poller.close(1)
    enabled = [r.getMessage() for r in caplog.records if "enabled again" in r.getMessage()]
    assert len(enabled) == 2
    for path, _, _, was_enabled in OLD_ROWS:
        feed = feed_store.get_feed(db, ids[path])
        assert feed is not None
        assert any(feed.url in line for line in enabled) is was_enabled
        if was_enabled:
            assert feed.disabled_reason is None and feed.consecutive_failures == 0
            assert feed.last_polled_at == started and feed.last_error is None
        else:
            assert feed.disabled_reason is not None and feed.consecutive_failures == 10

    caplog.clear()
    again = Poller(_Core(db), _ignore, clock=lambda: started)  # type: ignore[arg-type]
    await again.open(spread=0)
    await again.close(1)
    assert not [r for r in caplog.records if "enabled again" in r.getMessage()]
