"""A poll our own code fails (a bug, or a module missing after `git pull` without `pip install`:
`publicsuffixlist` behind `site_key`) is not the feed's failure: logged at ERROR with its
traceback (once: the same error again is one line), said in /healthz, and never counted towards
disabling the feed, which reads again as soon as the code works. A real feed server on loopback
and the real service's health."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from _digest_service import digest_service

from bot.config import PollingConfig
from bot.feed_status import feed_status
from bot.feedserver import FeedServer, Reply
from bot.ingest import fetcher
from bot.pipeline import poll
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store
from bot.store.database import open_database

# disable_after 0: the count alone disables, which is what these tests count to.
POLLING = PollingConfig(allow_private_networks=True, timeout=5.0, max_failures=3, disable_after=0)
RSS = b"""<rss version="2.0"><channel><title>Harbour Desk</title>
<item><guid>1</guid><title>Ferry timetable changes</title><link>https://h.example/1</link></item>
</channel></rss>"""


def _missing_module(host: str | None) -> str:
    raise ModuleNotFoundError("No module named 'publicsuffixlist'")


async def test_a_missing_module_never_disables_a_feed_and_is_said_in_healthz(
    tmp_path: Path,
    server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server.route("/rss", Reply(body=RSS, content_type="application/rss+xml"))
    service = digest_service(tmp_path)
    db = service.db
    feed_store.add_feed(db, server.url("/rss"))
    monkeypatch.setattr(fetcher, "site_key", _missing_module)

    try:
        with caplog.at_level(logging.ERROR):
            for _ in range(POLLING.max_failures + 2):
                report = await poll_feeds(db, POLLING, feeds=feed_store.list_feeds(db))
                assert [r.status for r in report.feeds] == ["failed"]
        (feed,) = feed_store.list_feeds(db)
        assert feed.disabled_reason is None and feed.consecutive_failures == 0
        assert feed.last_error is not None
        assert feed.last_error.startswith("internal error: ModuleNotFoundError")
        assert feed.next_poll_at is not None and feed.last_polled_at is not None
        assert feed.next_poll_at > feed.last_polled_at  # waits its interval, not every tick
        errors = [r for r in caplog.records if r.levelno == logging.ERROR]
        # The traceback once; the polls failing the same way after it, one line each.
        assert len(errors) == POLLING.max_failures + 2 and errors[0].exc_info
        assert not any(r.exc_info for r in errors[1:])
        assert "publicsuffixlist" in caplog.text

        health = service.health()
        (problem,) = [p for p in health["problems"] if "internal error" in p]
        assert problem.startswith("1 feed not polled because of an internal error")
        assert "ModuleNotFoundError" in problem and "reinstall: `pip install -e .`" in problem
        assert "then `newsdigest poll --all`" in problem  # or wait up to a day for it
        (listed,) = health["failing_feeds"]
        assert listed["internal_error"] is True and listed["disabled"] is None

        status = feed_status(feed)
        assert status.status == "not read" and status.alarm == "failing"
        assert status.detail.startswith("internal error: ModuleNotFoundError")

        monkeypatch.undo()  # `pip install -e .`: the next poll reads the feed
        report = await poll_feeds(db, POLLING, feeds=feed_store.list_feeds(db))
        assert [r.status for r in report.feeds] == ["new"]
        assert not [p for p in service.health()["problems"] if "internal error" in p]
    finally:
        service.core.close()


async def test_a_real_failure_after_internal_errors_counts_from_where_it_was(
    server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_database(tmp_path / "nd.db")
    server.route("/rss", Reply(status=500))
    feed_store.add_feed(db, server.url("/rss"))
    await poll_feeds(db, POLLING, feeds=feed_store.list_feeds(db))
    monkeypatch.setattr(fetcher, "site_key", _missing_module)
    await poll_feeds(db, POLLING, feeds=feed_store.list_feeds(db))
    (feed,) = feed_store.list_feeds(db)
    assert feed.consecutive_failures == 1 and feed.disabled_reason is None
    monkeypatch.undo()
    for _ in range(2):
        await poll_feeds(db, POLLING, feeds=feed_store.list_feeds(db))
    (feed,) = feed_store.list_feeds(db)
    assert feed.consecutive_failures == 3 and feed.disabled_reason is not None


async def test_a_parser_crash_is_not_counted_against_the_feed(
    server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("parser bug")

    db = open_database(tmp_path / "nd.db")
    monkeypatch.setattr(poll, "parse_feed", crash)
    server.route("/rss", Reply(body=RSS, content_type="application/rss+xml", etag='"v1"'))
    feed_store.add_feed(db, server.url("/rss"))
    for _ in range(POLLING.max_failures + 1):
        await poll_feeds(db, POLLING, feeds=feed_store.list_feeds(db))
    (feed,) = feed_store.list_feeds(db)
    assert feed.disabled_reason is None and feed.consecutive_failures == 0
    assert feed.last_error == "internal error reading the feed: RuntimeError: parser bug"
    assert feed.etag is None  # the body is downloaded again, not answered by a 304
