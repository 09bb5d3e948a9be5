"""A bug of ours that keeps failing a feed's poll: never counted against the feed, but retried
less and less often (twice the last wait, up to a day) rather than every interval for good, with
its traceback logged once and a line after that; /healthz advises a reinstall only for a missing
module. A real feed server on loopback, the real service's health."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from _digest_service import digest_service

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest import fetcher
from bot.ingest.policy import FeedPollState, record_internal_error
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store

POLLING = PollingConfig(allow_private_networks=True, timeout=5.0, max_failures=3)
T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)


def _bug(host: str | None) -> str:
    raise KeyError("a bug of ours")


def test_internal_errors_in_a_row_double_the_wait_up_to_a_day() -> None:
    state = FeedPollState(url="https://a.example/rss", poll_interval=1800)
    error = "internal error: KeyError: 'x'"
    waits = []
    now = T0
    for _ in range(9):
        outcome = record_internal_error(state, error, now)
        waits.append(outcome.next_poll_at - now)
        assert outcome.consecutive_failures == 0 and outcome.disabled_reason is None
        state.last_error, state.last_polled_at = outcome.last_error, now
        state.next_poll_at = now = outcome.next_poll_at
    hour = timedelta(hours=1)
    assert waits == [hour / 2, hour, 2 * hour, 4 * hour, 8 * hour, 16 * hour] + [24 * hour] * 3
    # A poll that failed otherwise before it: the interval again, not a doubled backoff.
    state.last_error = "HTTP 500"
    assert record_internal_error(state, error, now).next_poll_at == now + hour / 2


async def test_a_lasting_bug_backs_off_logs_its_traceback_once_and_blames_no_package(
    tmp_path: Path,
    server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server.route("/rss", Reply(body=b"<rss/>", content_type="application/rss+xml"))
    service = digest_service(tmp_path)
    db = service.db
    feed_store.add_feed(db, server.url("/rss"))
    monkeypatch.setattr(fetcher, "site_key", _bug)
    try:
        now, waits = T0, []
        with caplog.at_level(logging.ERROR, logger="bot.ingest.fetcher"):
            for _ in range(4):
                await poll_feeds(db, POLLING, feeds=feed_store.list_feeds(db), now=now)
                (feed,) = feed_store.list_feeds(db)
                assert feed.next_poll_at is not None and feed.last_polled_at is not None
                waits.append(feed.next_poll_at - feed.last_polled_at)
                now = feed.next_poll_at
        assert feed.disabled_reason is None and feed.consecutive_failures == 0
        interval = timedelta(seconds=feed.poll_interval)
        assert [round(w / interval) for w in waits] == [1, 2, 4, 8]
        errors = [r for r in caplog.records if r.name == "bot.ingest.fetcher"]
        assert len(errors) == 4
        assert errors[0].exc_info and not any(r.exc_info for r in errors[1:])
        assert "again; its traceback was logged before" in errors[1].getMessage()

        (problem,) = [p for p in service.health()["problems"] if "internal error" in p]
        assert "a bug in newsdigest" in problem and "pip install" not in problem
        assert problem.endswith("internal error: KeyError: 'a bug of ours'")
    finally:
        service.core.close()
