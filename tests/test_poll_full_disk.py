"""A database that refuses writes (a full disk) while polling: no bug of ours, so no traceback;
each feed's poll fails saying so, its next poll kept in memory by the running poller, so it still
waits its interval instead of being fetched on every tick (it was: 460 tracebacks in 80 s), and
one line says the database refuses writes, one that it takes them again. A full disk is made
deterministic with SQLite's max_page_count: the file may not grow past its size."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from click.testing import CliRunner
from test_runner_new_feeds_spread import _drain

from bot.app import NewsDigest, PassReport
from bot.cli import cli, context
from bot.config import Config, PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.pipeline.poll import poll_feeds
from bot.runner.polling import Poller
from bot.store import feeds as feed_store
from bot.store.database import open_database, transaction, utcnow

POLLING = PollingConfig(allow_private_networks=True, timeout=5.0)
# Twelve items of a few hundred words each: more than the free room in the file's pages.
ITEM = """<item><guid>q{n}</guid><title>Harbour works, part {n}</title>
<link>https://q.example/{n}</link><description>{text}</description></item>"""
TEXT = " ".join(
    f"The crane on berth {n} was repaired after the storm bent its arm." for n in range(40)
)
RSS = (
    '<rss version="2.0"><channel><title>Quay Desk</title>'
    + "".join(ITEM.format(n=n, text=TEXT) for n in range(12))
    + "</channel></rss>"
).encode()
REFUSAL = "database refuses writes: database or disk is full"


def fill(db: sqlite_utils.Database) -> None:
    """The disk full: the file may not grow by one page, nor reuse a free one."""
    db.execute("VACUUM")
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")


def free(db: sqlite_utils.Database) -> None:
    db.execute("PRAGMA max_page_count = 1073741823")


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.exc_info]


async def test_a_poll_the_database_refuses_fails_without_a_traceback(
    server: FeedServer, db: sqlite_utils.Database, caplog: pytest.LogCaptureFixture
) -> None:
    server.route("/quay", Reply(body=RSS))
    feed_store.add_feed(db, server.url("/quay"), interval=600)
    fill(db)
    now = utcnow()

    report = await poll_feeds(db, POLLING, now=now)

    [result] = report.feeds
    assert (result.status, result.error, result.entries) == ("failed", REFUSAL, 12)
    # The feed's interval from this poll, for the caller to keep: the row could not take it.
    assert result.hold_until is not None
    assert timedelta(seconds=590) < result.hold_until - now < timedelta(seconds=700)
    assert tracebacks(caplog) == []
    [feed] = feed_store.list_feeds(db)
    assert (feed.next_poll_at, feed.last_error, feed.consecutive_failures) == (None, None, 0)
    assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
    # Nothing left open: the next write, once there is room, commits.
    assert not db.conn.in_transaction
    free(db)
    report = await poll_feeds(db, POLLING, now=now)
    assert [r.status for r in report.feeds] == ["new"]
    assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 12


@pytest.fixture
def core(tmp_path: Path) -> Iterator[NewsDigest]:
    config = Config(database=str(tmp_path / "nd.db"), polling=POLLING)
    app = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    yield app
    app.close()


async def test_the_running_poller_keeps_each_feeds_interval_and_says_it_once(
    core: NewsDigest, server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    server.route("/quay", Reply(body=RSS))
    feed_store.add_feed(core.db, server.url("/quay"), interval=600)
    clock = [utcnow()]

    async def on_pass(report: PassReport) -> None:
        """Ignore the report: this test reads the poller's log, not its passes."""

    poller = Poller(core, on_pass, clock=lambda: clock[0])
    await poller.open(spread=0)
    fill(core.db)
    clock[0] += timedelta(seconds=5)  # past the start's spread, up to a second with spread=0
    try:
        assert await poller.tick() == 1
        await _drain(poller)
        fetched = len(server.requests)
        # The ticks of the next nine minutes fetch nothing: the feed waits its interval.
        for _ in range(9 * 12):
            clock[0] += timedelta(seconds=5)
            assert await poller.tick() == 0
        assert len(server.requests) == fetched
        # Its interval over, it is polled again, refused again, and nothing more is said.
        clock[0] += timedelta(minutes=2)
        assert await poller.tick() == 1
        await _drain(poller)
        refusing = [
            r for r in caplog.records if getattr(r, "event", None) == "database_refuses_writes"
        ]
        assert [(r.levelname, r.getMessage().split(":")[:2]) for r in refusing] == [
            ("ERROR", ["database refuses writes", " database or disk is full"])
        ]
        assert tracebacks(caplog) == []
        assert not [r for r in caplog.records if getattr(r, "event", None) == "feed_failing"]

        free(core.db)
        clock[0] += timedelta(minutes=11)
        assert await poller.tick() == 1
        await _drain(poller)
        assert [
            r.getMessage()
            for r in caplog.records
            if getattr(r, "event", None) == "database_takes_writes"
        ] == ["the database takes writes again: polls are stored"]
        [feed] = feed_store.list_feeds(core.db)
        assert feed.last_outcome == "12 new"
        assert feed.next_poll_at is not None and feed.next_poll_at > clock[0]
    finally:
        await poller.close(grace=1)


def test_a_write_sqlite_rolled_back_raises_its_own_error(db: sqlite_utils.Database) -> None:
    """SQLite rolls the transaction back itself on a full disk: the ROLLBACK after it failed with
    "cannot rollback - no transaction is active", hiding the cause."""
    fill(db)
    with pytest.raises(sqlite3.OperationalError, match="database or disk is full"), transaction(db):
        for n in range(200):
            db.execute(
                "INSERT INTO feeds (url, poll_interval, created_at) VALUES (?, 600, '2024')",
                [f"https://q.example/{n}/" + "x" * 2000],
            )
    assert not db.conn.in_transaction


def test_a_refused_commit_leaves_no_transaction_open(db: sqlite_utils.Database) -> None:
    """A COMMIT that fails (a full disk; here a deferred foreign key) left the transaction open,
    and the connection's next write joined it and never committed."""
    db.execute("PRAGMA defer_foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError), transaction(db):
        db.execute("INSERT INTO article_weights (article_id, idf) VALUES ('nowhere', x'00')")
    assert not db.conn.in_transaction
    with transaction(db):
        feed_store.add_feed(db, "https://q.example/feed")
    assert [f.url for f in feed_store.list_feeds(db)] == ["https://q.example/feed"]


def test_poll_all_on_a_full_disk_fails_in_one_line(
    server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plain_logging: None
) -> None:
    """It exited 0 with tracebacks and "No feed was due ... poll --all polls them now": the
    crash escaped each feed's poll, so the report had no feed to count as failed."""
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\ntimeout = 5\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    server.route("/quay", Reply(body=RSS))
    server.route("/mill", Reply(body=RSS.replace(b"Quay", b"Mill").replace(b"q.ex", b"m.ex")))
    runner = CliRunner()
    for path in ("/quay", "/mill"):
        assert runner.invoke(cli, ["feeds", "add", server.url(path)]).exit_code == 0
    opened = context.open_database

    def full(*args: Any, **kwargs: Any) -> sqlite_utils.Database:
        db = opened(*args, **kwargs)
        fill(db)
        return db

    monkeypatch.setattr(context, "open_database", full)
    monkeypatch.setattr(logging.getLogger(), "handlers", [])

    polled = runner.invoke(cli, ["poll", "--all"])

    assert polled.exit_code == 1, polled.output
    assert polled.output.count("database or disk is full") == 1, polled.output
    assert (
        "Error: database refuses writes: database or disk is full: nothing polled from 2 feeds"
        " was stored (free space on the database's disk, then poll again)"
    ) in polled.output
    assert "Traceback" not in polled.output and "No feed was due" not in polled.output
