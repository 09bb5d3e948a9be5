"""A feed (or its redirect) naming a port no socket can use is the feed's fault, not a bug of
ours: anyio raised OverflowError("port must be 0-65535") in an exception group, which the fetcher
called an internal error, so the feed was never backed off nor disabled, and every poll logged a
traceback. A real feed server on loopback, the real guarded backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpcore
import pytest

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest.fetcher import FeedFetcher
from bot.ingest.netguard import GuardedNetworkBackend
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store
from bot.store.database import open_database

# disable_after 0: the count alone disables, which is what these tests count to.
POLLING = PollingConfig(allow_private_networks=True, timeout=5.0, max_failures=3, disable_after=0)


async def test_a_redirect_to_an_impossible_port_is_the_feeds_error(server: FeedServer) -> None:
    server.route("/rss", Reply(status=301, headers={"Location": "http://127.0.0.1:99999/x"}))
    async with FeedFetcher(allow_private_networks=True, timeout=5.0) as fetcher:
        result = await fetcher.fetch(server.url("/rss"))
    assert not result.internal
    assert result.error == "invalid port 99999 in 'http://127.0.0.1:99999/x' (1 to 65535)"


async def test_the_socket_layer_refusing_a_port_is_a_connect_error() -> None:
    # Past the URL check (a port it lets through, or a check one day missed): still the feed's.
    backend = GuardedNetworkBackend(allow_private_networks=True)
    refused = r"cannot connect to 127\.0\.0\.1:99999: OverflowError"
    with pytest.raises(httpcore.ConnectError, match=refused):
        await backend.connect_tcp("127.0.0.1", 99999, timeout=5.0)


async def test_a_feed_redirected_to_an_impossible_port_backs_off_and_is_disabled(
    server: FeedServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server.route("/rss", Reply(status=301, headers={"Location": "http://127.0.0.1:99999/x"}))
    db = open_database(tmp_path / "nd.db")
    feed_store.add_feed(db, server.url("/rss"))
    now = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)
    waits = []
    for _ in range(POLLING.max_failures):
        await poll_feeds(db, POLLING, feeds=feed_store.list_feeds(db), now=now)
        (feed,) = feed_store.list_feeds(db)
        assert feed.next_poll_at is not None
        waits.append(feed.next_poll_at - now)
        now = feed.next_poll_at
    assert feed.consecutive_failures == POLLING.max_failures
    assert feed.disabled_reason is not None and "invalid port 99999" in feed.disabled_reason
    assert waits[1] > waits[0] + timedelta(minutes=1)  # backed off
    assert "Traceback" not in caplog.text and "unexpected error" not in caplog.text
