"""A bug of ours failing polls logs its traceback once per process, whatever its message and
however many feeds it fails: the bug is its exception's type and where it was raised. A restart
(a new process: a redeployed container's log is gone) logs it again, once, so the traceback
/healthz says the log has is there. A real feed server on loopback."""

from __future__ import annotations

import itertools
import logging
from datetime import UTC, datetime

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest import fetcher
from bot.ingest.errors import forget_logged_tracebacks
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store
from bot.store.database import open_database

POLLING = PollingConfig(allow_private_networks=True, timeout=5.0, max_failures=3)
T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)
_count = itertools.count()


def _bug_varying(host: str | None) -> str:
    # A message that changes with each poll, as one carrying an object's address or a count.
    raise KeyError(f"a bug of ours at {next(_count)}")


def _bug(host: str | None) -> str:
    raise KeyError("a bug of ours")


def _other_bug(host: str | None) -> str:
    raise KeyError("a bug of ours")  # the same type and message, raised elsewhere


def _bad_date_here(host: str | None) -> str:
    return str(datetime.strptime("not a date", "%Y"))


def _bad_date_there(host: str | None) -> str:
    # Another bug of ours failing inside the very same library line.
    return str(datetime.strptime("nor this", "%Y"))


@pytest.fixture
def rss(server: FeedServer) -> FeedServer:
    """The loopback server with an empty RSS document at /rss, whatever the query string."""
    server.route("/rss", Reply(body=b"<rss/>", content_type="application/rss+xml"))
    return server


async def _polls(
    db: sqlite_utils.Database, n: int, now: datetime, caplog: pytest.LogCaptureFixture
) -> datetime:
    """`n` polling passes, each when the feeds are next due, the fetcher's errors captured."""
    with caplog.at_level(logging.ERROR, logger="bot.ingest.fetcher"):
        for _ in range(n):
            await poll_feeds(db, POLLING, feeds=feed_store.list_feeds(db), now=now)
            now = max(f.next_poll_at for f in feed_store.list_feeds(db) if f.next_poll_at)
    return now


def _tracebacks(caplog: pytest.LogCaptureFixture) -> int:
    return len([r for r in caplog.records if r.name == "bot.ingest.fetcher" and r.exc_info])


async def test_a_varying_message_and_many_feeds_log_one_traceback(
    rss: FeedServer,
    db: sqlite_utils.Database,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    for i in range(3):
        feed_store.add_feed(db, rss.url(f"/rss?{i}"))
    monkeypatch.setattr(fetcher, "site_key", _bug_varying)
    await _polls(db, 4, T0, caplog)
    errors = [r for r in caplog.records if r.name == "bot.ingest.fetcher"]
    assert len(errors) == 12 and _tracebacks(caplog) == 1
    assert "again; its traceback was logged before" in errors[-1].getMessage()
    # Another bug (raised elsewhere) has a traceback of its own.
    monkeypatch.setattr(fetcher, "site_key", _other_bug)
    await _polls(db, 2, T0, caplog)
    assert _tracebacks(caplog) == 2


async def test_a_restart_logs_the_traceback_again(
    rss: FeedServer,
    db: sqlite_utils.Database,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    feed_store.add_feed(db, rss.url("/rss"))
    monkeypatch.setattr(fetcher, "site_key", _bug)
    now = await _polls(db, 2, T0, caplog)
    assert _tracebacks(caplog) == 1
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    db.close()
    caplog.clear()
    forget_logged_tracebacks()  # a new process, the feed's stored error the same
    db = open_database(path)
    await _polls(db, 2, now, caplog)
    assert _tracebacks(caplog) == 1
    db.close()


async def test_two_bugs_failing_in_one_library_line_each_log_a_traceback(
    rss: FeedServer,
    db: sqlite_utils.Database,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    feed_store.add_feed(db, rss.url("/rss"))
    monkeypatch.setattr(fetcher, "site_key", _bad_date_here)
    now = await _polls(db, 2, T0, caplog)
    assert _tracebacks(caplog) == 1
    monkeypatch.setattr(fetcher, "site_key", _bad_date_there)
    await _polls(db, 2, now, caplog)
    assert _tracebacks(caplog) == 2
