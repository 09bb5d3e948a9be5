"""A feed whose address the network guard refuses at poll time (its host resolves to a private or
link-local address, or a redirect leads to one) is disabled at once with the address in its
reason, and no longer fetched: retrying could not change it. A transient failure (a name that does
not resolve, a 503) keeps backing off as before."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest.fetcher import FeedFetcher
from bot.pipeline.poll import poll_feeds
from bot.runner.digests import disabled_feed_text
from bot.store import feeds as feed_store
from bot.store.database import utcnow

RSS = b"""<rss version="2.0"><channel><title>Desk</title>
<item><guid>1</guid><title>A story</title><link>https://d.example/1</link></item>
</channel></rss>"""

STRICT = PollingConfig(allow_private_networks=False, timeout=5.0)
LOOPBACK_OK = PollingConfig(allow_private_networks=True, timeout=5.0)


def _resolver(answers: dict[str, str]):  # type: ignore[no-untyped-def]
    asked: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        if host not in answers:
            raise OSError(f"no such host {host}")
        return [answers[host]]

    resolve.asked = asked  # type: ignore[attr-defined]
    return resolve


async def test_a_host_resolving_to_a_private_address_is_disabled_once(
    db: sqlite_utils.Database,
) -> None:
    resolver = _resolver({"feeds.example": "10.0.0.5"})
    feed = feed_store.add_feed(db, "http://feeds.example/rss.xml", origin="chat")
    now = utcnow()
    async with FeedFetcher(allow_private_networks=False, resolver=resolver) as fetcher:
        report = await poll_feeds(db, STRICT, now=now, fetcher=fetcher)
    (result,) = report.feeds
    assert result.status == "disabled"
    stored = feed_store.get_feed(db, feed.id)
    assert stored is not None
    assert stored.disabled_reason == (
        "refused: feeds.example resolves to private address 10.0.0.5; set "
        "polling.allow_private_networks = true to allow it, or fix the address, then re-enable "
        "the feed (newsdigest feeds enable)"
    )
    assert result.error == stored.disabled_reason  # what `poll` prints
    assert stored.consecutive_failures == 1
    # Not polled again: not due tomorrow, nor by a pass that polls every due feed.
    assert feed_store.due_feeds(db, now + timedelta(days=30)) == []
    async with FeedFetcher(allow_private_networks=False, resolver=resolver) as fetcher:
        later = await poll_feeds(db, STRICT, now=now + timedelta(days=2), fetcher=fetcher)
    assert later.feeds == []
    assert resolver.asked == ["feeds.example"]  # type: ignore[attr-defined]


async def test_a_redirect_to_a_link_local_address_says_no_setting_allows_it(
    db: sqlite_utils.Database,
) -> None:
    resolver = _resolver({"meta.example": "169.254.169.254"})
    routes = {
        "/rss.xml": Reply(status=302, headers={"Location": "http://meta.example/latest"}),
    }
    with FeedServer(routes) as server:
        url = server.url("/rss.xml")
        feed = feed_store.add_feed(db, url, origin="cli")
        async with FeedFetcher(allow_private_networks=True, resolver=resolver) as fetcher:
            await poll_feeds(db, LOOPBACK_OK, fetcher=fetcher)
    stored = feed_store.get_feed(db, feed.id)
    assert stored is not None
    assert stored.disabled_reason == (
        "refused: redirected to http://meta.example/latest: meta.example resolves to link-local "
        "address 169.254.169.254, which no setting allows; fix the address, then re-enable the "
        "feed (newsdigest feeds enable)"
    )


@pytest.mark.parametrize(
    ("routes", "answers"),
    [
        ({"/rss.xml": Reply(status=503)}, {}),  # the server is struggling
        ({}, {}),  # the name does not resolve (yet): a DNS failure is no refusal
    ],
)
async def test_transient_failures_still_back_off(
    db: sqlite_utils.Database, routes: dict[str, Reply], answers: dict[str, str]
) -> None:
    with FeedServer(routes) as server:
        url = server.url("/rss.xml") if routes else "http://not-yet.example/rss.xml"
        feed = feed_store.add_feed(db, url, origin="cli")
        now = utcnow()
        async with FeedFetcher(allow_private_networks=True, resolver=_resolver(answers)) as f:
            report = await poll_feeds(db, LOOPBACK_OK, now=now, fetcher=f)
    assert report.feeds[0].status == "failed"
    stored = feed_store.get_feed(db, feed.id)
    assert stored is not None
    assert stored.disabled_reason is None and stored.consecutive_failures == 1
    assert stored.next_poll_at is not None and stored.next_poll_at < now + timedelta(days=1)


async def test_a_feed_refused_later_polls_again_once_allowed(db: sqlite_utils.Database) -> None:
    # Added while loopback was allowed, then the setting was turned off: refused, disabled.
    with FeedServer({"/rss.xml": Reply(body=RSS)}) as server:
        feed = feed_store.add_feed(db, server.url("/rss.xml"), origin="cli")
        await poll_feeds(db, STRICT)
        stored = feed_store.get_feed(db, feed.id)
        assert stored is not None and stored.disabled_reason is not None
        assert stored.disabled_reason.startswith(
            "refused: loopback address 127.0.0.1; set polling.allow_private_networks = true"
        )
        assert server.requests == []  # refused before connecting
        feed_store.enable_feed(db, feed.id)
        report = await poll_feeds(db, LOOPBACK_OK)
    assert report.feeds[0].status == "new"


def test_the_alert_for_a_refused_feed_does_not_count_failed_polls() -> None:
    reason = "refused: feeds.example resolves to private address 10.0.0.5; fix the address"
    feed = {
        "id": 4,
        "url": "http://feeds.example/rss.xml",
        "name": None,
        "title": None,
        "origin": "chat",
        "disabled_reason": reason,
        "consecutive_failures": 1,
    }
    text = disabled_feed_text(feed)
    assert text.startswith(
        "The feed http://feeds.example/rss.xml (http://feeds.example/rss.xml, feed #4) was "
        f"disabled: {reason}. "
    )
    assert "failed poll" not in text
