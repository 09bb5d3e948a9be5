"""Entries dated before the retention cutoff are not stored, and a poll says so: counted per feed,
noted on the feed's first read and whenever nothing newer was left, printed by `newsdigest poll`,
and logged once (not at every poll of a feed that keeps serving the same old items). Real
loopback server, real SQLite, the real CLI."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from bot.cli import cli
from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.pipeline.poll import PollReport, poll_feeds
from bot.store import feeds as feed_store

T0 = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
POLLING = PollingConfig(allow_private_networks=True, timeout=5.0)
CUTOFF = "the 180-day retention (storage.retention_days)"
LOGGERS = ("bot.pipeline.poll", "bot.pipeline.entries", "bot.pipeline.feed_result")


def _rss(dated: dict[str, datetime]) -> bytes:
    """One item per title, dated as given; no validators, so every poll downloads it again."""
    items = "".join(
        f"<item><guid>{title}</guid><title>{title}</title><pubDate>{format_datetime(when)}"
        f"</pubDate><description>{title}, in full.</description></item>"
        for title, when in dated.items()
    )
    return f'<rss version="2.0"><channel><title>Desk</title>{items}</channel></rss>'.encode()


async def _poll(db: sqlite_utils.Database, now: datetime, retention_days: int = 180) -> PollReport:
    return await poll_feeds(
        db, POLLING, feeds=feed_store.list_feeds(db), now=now, retention_days=retention_days
    )


def _logged(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name in LOGGERS]


OLD = {
    "Harbour bridge reopens": T0 - timedelta(days=400),
    "Ferry timetable changes": T0 - timedelta(days=300),
    "Library extends its hours": T0 - timedelta(days=200),
}


async def test_a_feed_with_only_old_entries_says_why_it_brought_nothing_at_every_poll(
    server: FeedServer, db: sqlite_utils.Database, caplog: pytest.LogCaptureFixture
) -> None:
    server.route("/desk", Reply(body=_rss(OLD)))
    url = server.url("/desk")
    feed_store.add_feed(db, url)
    note = f"skipped all 3 entries: each is older than {CUTOFF}"

    with caplog.at_level(logging.DEBUG):
        report = await _poll(db, T0)

    (result,) = report.feeds
    assert (result.status, result.new_articles, result.entries) == ("unchanged", 0, 3)
    assert (result.too_old, result.notice, result.error) == (3, note, None)
    assert report.warned == [result]
    assert _logged(caplog) == [(logging.WARNING, f"feed {url}: {note}")]

    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        again = await _poll(db, T0 + timedelta(hours=1))

    # Still said to whoever polls by hand, but `run` does not warn of it at every poll.
    (result,) = again.feeds
    assert (result.too_old, result.notice) == (3, note)
    assert _logged(caplog) == [(logging.DEBUG, f"feed {url}: {note}")]


async def test_a_new_feed_with_some_old_entries_says_so_at_its_first_read_only(
    server: FeedServer, db: sqlite_utils.Database, caplog: pytest.LogCaptureFixture
) -> None:
    fresh = {"Council approves tram extension": T0 - timedelta(days=2)}
    server.route("/desk", Reply(body=_rss(fresh | OLD)))
    url = server.url("/desk")
    feed_store.add_feed(db, url)
    note = f"skipped 3 entries older than {CUTOFF}"

    with caplog.at_level(logging.DEBUG):
        report = await _poll(db, T0)

    (result,) = report.feeds
    assert (result.status, result.new_articles) == ("new", 1)
    assert (result.too_old, result.notice) == (3, note)
    assert _logged(caplog) == [(logging.INFO, f"feed {url}: {note}")]

    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        again = await _poll(db, T0 + timedelta(hours=1))

    # The same old items, served again: counted, not said.
    (result,) = again.feeds
    assert (result.too_old, result.notice) == (3, None)
    assert again.warned == []
    assert [level for level, _ in _logged(caplog)] == [logging.DEBUG]


async def test_a_feed_with_one_old_entry_and_retention_off(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    server.route("/desk", Reply(body=_rss({"Harbour bridge reopens": T0 - timedelta(days=400)})))
    feed_store.add_feed(db, server.url("/desk"))

    kept = await _poll(db, T0, retention_days=0)
    assert (kept.feeds[0].new_articles, kept.feeds[0].too_old, kept.feeds[0].notice) == (1, 0, None)

    server.route("/other", Reply(body=_rss({"Ferry timetable changes": T0 - timedelta(days=400)})))
    feed_store.remove_feed(db, feed_store.list_feeds(db)[0].id)
    feed_store.add_feed(db, server.url("/other"))
    (result,) = (await _poll(db, T0)).feeds
    assert result.notice == f"skipped its only entry: it is older than {CUTOFF}"


def _cli_poll(
    server: FeedServer, dated: dict[str, datetime], tmp_path: Path, polling: str = ""
) -> str:
    """`newsdigest poll` over one new feed of `dated` entries: its output on one line."""
    server.route("/desk", Reply(body=_rss(dated)))
    config = tmp_path / "nd.toml"
    config.write_text(f"[polling]\nallow_private_networks = true\n{polling}", encoding="utf-8")
    runner = CliRunner(env={"NEWSDIGEST_CONFIG": str(config), "COLUMNS": "200"})
    runner.env["NEWSDIGEST_DB"] = str(tmp_path / "nd.db")
    assert runner.invoke(cli, ["feeds", "add", server.url("/desk")]).exit_code == 0
    result = runner.invoke(cli, ["poll"])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_poll_prints_why_a_feed_brought_no_articles(server: FeedServer, tmp_path: Path) -> None:
    now = datetime.now(UTC)

    out = _cli_poll(server, {t: now - (T0 - d) for t, d in OLD.items()}, tmp_path)

    assert "Polled 1 feed in " in out and ": 0 new articles," in out
    # Named as the feed was before this, its first read: by its address, its title unknown yet.
    note = f"! {server.url('/desk')}: skipped all 3 entries: each is older than {CUTOFF}"
    assert note in out
    assert out.count("skipped all 3 entries") == 1  # the report's line, not the log's as well


def test_poll_says_a_capped_feed_left_old_entries_out_too_on_one_line(
    server: FeedServer, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    fresh = {"Council approves tram extension": now - timedelta(days=1)}
    fresh["Tram depot opens"] = now - timedelta(days=2)
    dated = fresh | {t: now - (T0 - d) for t, d in OLD.items()}

    out = _cli_poll(server, dated, tmp_path, polling="max_new_entries = 1\n")

    assert ": 1 new article," in out
    assert (
        f"! {server.url('/desk')}: stored the newest 1 new entries (polling.max_new_entries); "
        f"skipped 1 older entry, left for later polls; skipped 3 entries older than {CUTOFF}"
    ) in out
