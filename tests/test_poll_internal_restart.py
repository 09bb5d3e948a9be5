"""After the fix of a bug or missing module that failed feeds' polls lands (a reinstall, a
restart), the feeds it backed off (twice the last wait, up to a day) are polled at the start of
`run`, not up to a day later; feeds failing on their own keep their backoff. A real feed server
on loopback and the runner's real poller."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlite_utils
from test_runner_new_feeds_spread import _Core, _drain, _ignore

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest import fetcher
from bot.pipeline.poll import poll_feeds
from bot.runner.polling import Poller
from bot.store import feeds as feed_store

POLLING = PollingConfig(allow_private_networks=True, timeout=5.0, max_failures=10)
T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)
RSS = b"""<rss version="2.0"><channel><title>Quay Desk</title>
<item><guid>1</guid><title>Harbour crane repaired</title><link>https://q.example/1</link></item>
</channel></rss>"""


def _bug(host: str | None) -> str:
    raise KeyError("a bug of ours")


async def test_run_start_polls_feeds_backed_off_by_an_internal_error(
    server: FeedServer, db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.route("/rss", Reply(body=RSS, content_type="application/rss+xml"))
    server.route("/down", Reply(status=500, body=b"down"))
    broken = feed_store.add_feed(db, server.url("/rss"))
    failing = feed_store.add_feed(db, server.url("/down"))
    monkeypatch.setattr(fetcher, "site_key", _bug)
    now = last = T0
    for _ in range(7):  # hours of a broken install: its wait doubles towards a day
        await poll_feeds(db, POLLING, feeds=[feed_store.get_feed(db, broken.id)], now=now)
        feed = feed_store.get_feed(db, broken.id)
        assert feed is not None and feed.next_poll_at is not None
        last, now = now, feed.next_poll_at
    assert now - last == timedelta(hours=16)
    monkeypatch.undo()
    await poll_feeds(db, POLLING, feeds=[feed_store.get_feed(db, failing.id)], now=last)
    failing_next = feed_store.get_feed(db, failing.id).next_poll_at  # type: ignore[union-attr]

    # Reinstalled and restarted five minutes after the last failed poll.
    started = last + timedelta(minutes=5)
    poller = Poller(_Core(db), _ignore, clock=lambda: started)  # type: ignore[arg-type]
    await poller.open(spread=0)
    assert await poller.tick() == 1
    await _drain(poller)
    await poller.close(1)
    feed = feed_store.get_feed(db, broken.id)
    assert feed is not None and feed.last_error is None
    assert feed.last_polled_at == started
    # A feed whose own server fails keeps its backoff.
    assert feed_store.get_feed(db, failing.id).next_poll_at == failing_next  # type: ignore[union-attr]
