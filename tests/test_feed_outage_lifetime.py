"""A feed down for hours, or for a weekend, is not disabled for good: policy disables it only after
`polling.disable_after` (a week) of failures, however often it was polled meanwhile, and a feed
disabled so is still tried once a day and enabled again, said once at INFO, when it works. A 410
stays disabled. The real poll pipeline and SQLite file against the loopback feed server, the
clock given to each pass."""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from _cli_env import cli_env
from click.testing import CliRunner
from fakes.cores import local_core

from bot.app import NewsDigest
from bot.cli import cli
from bot.config import parse_config
from bot.config_values import ConfigError
from bot.feed_status import feed_status
from bot.feedserver import FeedServer, Reply
from bot.ingest import policy
from bot.runner.feed_alerts import alert_disabled_feeds
from bot.runner.polling import spread_overdue
from bot.store import feeds as feed_store
from bot.store.database import iso, open_database

T0 = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)  # a Friday evening


def _rss(n: int) -> bytes:
    items = "".join(
        f"<item><guid>q{i}</guid><title>Quay notice number {i}</title>"
        f"<link>https://q.example/{i}</link></item>"
        for i in range(n)
    )
    return f'<rss version="2.0"><channel><title>Quay Desk</title>{items}</channel></rss>'.encode()


DOWN = Reply(status=503, body=b"maintenance")


def retried_daily(reason: str | None) -> bool:
    """Disabled for its failures, as policy words it (`bot.ingest.policy.retried_daily`)."""
    return (reason or "").startswith("failing since ")


@pytest.fixture
def core(tmp_path: Path) -> Iterator[NewsDigest]:
    with local_core(tmp_path) as app:
        yield app


def _feed(core: NewsDigest) -> feed_store.FeedRow:
    [feed] = feed_store.list_feeds(core.db)
    return feed


async def _run(core: NewsDigest, start: datetime, span: timedelta, step: timedelta) -> datetime:
    """Scheduled passes (only the due feeds) every `step` over `span`; returns the end."""
    now = start
    while now < start + span:
        await core.poll(now=now)
        now += step
    return now


async def test_a_one_minute_feed_down_for_eight_hours_is_not_disabled(
    core: NewsDigest, server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Counted, 10 failures disabled a 1-minute feed after some 6.5 hours of an outage.
    # The backoff's jitter seeded: its first nine waits take 4.3 to 8.5 hours, and about one
    # run in 170 fitted only 9 failures in the eight hours.
    monkeypatch.setattr(policy, "_rng", random.Random(1))
    server.route("/quay", Reply(body=_rss(1)))
    feed_store.add_feed(core.db, server.url("/quay"), interval=60)
    await core.poll(now=T0)
    server.route("/quay", DOWN)
    end = await _run(core, T0 + timedelta(minutes=1), timedelta(hours=8), timedelta(minutes=1))
    feed = _feed(core)
    assert feed.consecutive_failures >= 10
    assert feed.disabled_reason is None
    server.route("/quay", Reply(body=_rss(2)))
    await _run(core, end, timedelta(days=1, hours=1), timedelta(minutes=5))
    feed = _feed(core)
    assert (feed.disabled_reason, feed.consecutive_failures, feed.failing_since) == (None, 0, None)
    assert core.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 2


async def test_ten_poll_all_in_a_minute_of_outage_do_not_disable_a_feed(
    core: NewsDigest, server: FeedServer
) -> None:
    server.route("/quay", Reply(status=500, body=b"oops"))
    feed_store.add_feed(core.db, server.url("/quay"))
    for second in range(0, 60, 6):  # `newsdigest poll --all`, ten times
        await core.poll(feeds=feed_store.list_feeds(core.db), now=T0 + timedelta(seconds=second))
    feed = _feed(core)
    assert feed.consecutive_failures == 10
    assert feed.disabled_reason is None
    assert feed.failing_since == T0


async def test_a_week_of_failures_disables_a_feed_that_is_then_retried_daily_and_enabled_again(
    core: NewsDigest, server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.route("/quay", Reply(body=_rss(1)))
    feed_store.add_feed(core.db, server.url("/quay"), interval=3600)
    await core.poll(now=T0)
    server.route("/quay", DOWN)
    start = len(server.requests)
    end = await _run(core, T0 + timedelta(hours=1), timedelta(days=7), timedelta(hours=1))
    assert _feed(core).disabled_reason is None  # not quite a week yet
    caplog.set_level(logging.INFO)
    end = await _run(core, end, timedelta(days=1, hours=2), timedelta(hours=1))
    feed = _feed(core)
    assert retried_daily(feed.disabled_reason)
    assert feed.disabled_reason.startswith("failing since 2026-03-06 19:00 UTC (")
    # Disabled is not forgotten: tried about once a day, and `feeds list` says when.
    disabled_at = len(server.requests)
    end = await _run(core, end, timedelta(days=5), timedelta(hours=1))
    retries = len(server.requests) - disabled_at
    assert 4 <= retries <= 5
    feed = _feed(core)
    assert feed.next_poll_at is not None and feed.next_poll_at > end - timedelta(hours=1)
    assert feed_status(feed).status == "disabled"
    assert f"next try {feed.next_poll_at:%Y-%m-%d %H:%M} UTC" in feed_status(feed).since
    assert len(server.requests) - start < 60  # backoff, then daily: not hourly for two weeks
    # Back up: the next daily try enables it again, said once, at INFO, and it polls as before.
    server.route("/quay", Reply(body=_rss(3)))
    caplog.clear()
    end = await _run(core, end, timedelta(days=2), timedelta(hours=1))
    feed = _feed(core)
    assert (feed.disabled_reason, feed.consecutive_failures) == (None, 0)
    assert core.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 3
    again = [r for r in caplog.records if "works again" in r.getMessage()]
    assert [(r.name, r.levelno) for r in again] == [("bot.pipeline.feed_state", logging.INFO)]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_a_gone_feed_stays_disabled_and_is_not_retried(
    core: NewsDigest, server: FeedServer
) -> None:
    server.route("/quay", Reply(status=410, body=b"gone"))
    feed_store.add_feed(core.db, server.url("/quay"))
    await core.poll(now=T0)
    assert _feed(core).disabled_reason is not None
    asked = len(server.requests)
    server.route("/quay", Reply(body=_rss(1)))
    await _run(core, T0, timedelta(days=3), timedelta(hours=6))
    assert len(server.requests) == asked
    assert not retried_daily(_feed(core).disabled_reason)


async def test_a_gone_answer_to_a_daily_retry_makes_the_disable_manual(
    core: NewsDigest, server: FeedServer
) -> None:
    server.route("/quay", DOWN)
    feed_store.add_feed(core.db, server.url("/quay"), interval=3600)
    end = await _run(core, T0, timedelta(days=8), timedelta(hours=3))
    assert retried_daily(_feed(core).disabled_reason)
    server.route("/quay", Reply(status=410, body=b"gone"))
    end = await _run(core, end, timedelta(days=2), timedelta(hours=3))
    assert _feed(core).disabled_reason == (
        "feed is gone (HTTP 410); remove it or re-enable it by hand"
    )
    asked = len(server.requests)
    await _run(core, end, timedelta(days=3), timedelta(hours=3))
    assert len(server.requests) == asked


async def test_a_gone_answer_to_a_daily_retry_alerts_its_new_reason_once(
    core: NewsDigest, server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    # Its old `disabled_at` kept, the alert for "failing since" stood for the 410 too: nobody
    # was told the feed now needs a hand.
    caplog.set_level(logging.INFO)
    server.route("/quay", DOWN)
    feed_store.add_feed(core.db, server.url("/quay"), interval=3600)
    end = await _run(core, T0, timedelta(days=8), timedelta(hours=3))
    alert_disabled_feeds(core.db, now=end)
    server.route("/quay", Reply(status=410, body=b"gone"))
    end = await _run(core, end, timedelta(days=2), timedelta(hours=3))
    alert_disabled_feeds(core.db, now=end)
    alert_disabled_feeds(core.db, now=end + timedelta(hours=1))
    said = [r.getMessage() for r in caplog.records if r.name == "bot.runner.feed_alerts"]
    assert len(said) == 2
    assert "failing since" in said[0]
    assert "feed is gone (HTTP 410)" in said[1]


def _retried_daily_feed(db_path: Path, url: str, due: datetime) -> int:
    """A feed disabled for its failures, as an older release worded it, due at `due`."""
    db = open_database(db_path)
    try:
        feed_id = feed_store.add_feed(db, url).id
        db.execute(
            "UPDATE feeds SET disabled_reason = ?, disabled_at = ?, consecutive_failures = 12,"
            " next_poll_at = ? WHERE id = ?",
            [
                "disabled after 12 consecutive failures; last error: HTTP 503",
                iso(due - timedelta(days=1)),
                iso(due),
                feed_id,
            ],
        )
        db.conn.commit()
        return feed_id
    finally:
        db.close()


def test_a_gone_answer_to_a_daily_retry_is_disabled_by_this_poll(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: FeedServer
) -> None:
    cli_env(tmp_path, monkeypatch, "[polling]\nallow_private_networks = true\n")
    server.route("/quay", Reply(status=410, body=b"gone"))
    _retried_daily_feed(
        tmp_path / "nd.db", server.url("/quay"), datetime.now(UTC) - timedelta(hours=1)
    )
    said = " ".join(CliRunner().invoke(cli, ["poll"]).output.split())
    assert "1 feed disabled by this poll" in said
    assert "daily try" not in said


def test_a_restart_spreads_the_overdue_daily_retries_too(tmp_path: Path) -> None:
    # After the upgrade every feed disabled for failures was months overdue: all in one tick.
    months_ago = T0 - timedelta(days=90)
    ids = [
        _retried_daily_feed(tmp_path / "nd.db", f"https://q.example/{n}.xml", months_ago)
        for n in range(5)
    ]
    db = open_database(tmp_path / "nd.db")
    try:
        assert spread_overdue(db, T0, window=300) == len(ids)
        assert [f.id for f in feed_store.due_feeds(db, T0)] != ids
        due = [f.next_poll_at for f in feed_store.list_feeds(db)]
        assert all(d is not None and T0 <= d < T0 + timedelta(seconds=300) for d in due)
    finally:
        db.close()


async def test_a_disabled_feed_is_logged_once_with_its_alert(
    core: NewsDigest, server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    server.route("/quay", Reply(status=410, body=b"gone"))
    feed_store.add_feed(core.db, server.url("/quay"))
    await core.poll(now=T0)
    alert_disabled_feeds(core.db, now=T0)
    said = [r for r in caplog.records if "disabled" in r.getMessage()]
    assert [(r.name, r.levelno) for r in said] == [("bot.runner.feed_alerts", logging.WARNING)]


def test_disable_after_is_a_polling_setting() -> None:
    def parsed(value: object) -> int:
        return parse_config({"polling": {"disable_after": value}}).polling.disable_after

    assert parse_config({}).polling.disable_after == 7 * 86400
    assert parsed("2d") == 2 * 86400 and parsed("36h") == 36 * 3600
    for bad in ("30m", "400d", True, "soon"):
        with pytest.raises(ConfigError, match=r"polling\.disable_after"):
            parsed(bad)
