"""A feed whose address the network guard refuses at poll time: an address written in its URL or
in a redirect's Location is disabled at once with the address in its reason, and no longer
fetched (retrying could not change it). One a DNS answer gave (the host resolves to a private or
link-local address: a VPN, a DNS blocker, a fake-IP proxy) backs off like a 503 and is disabled
only if it lasts, its reason saying the DNS answer may be why. A transient failure (a name that
does not resolve, a 503) keeps backing off as before."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest.fetcher import FeedFetcher
from bot.pipeline.poll import poll_feeds
from bot.render.literal import unmarked
from bot.runner.feed_alerts import disabled_feed_text
from bot.runner.polling import Poller
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


async def test_a_host_resolving_to_a_private_address_backs_off_and_is_disabled_if_it_lasts(
    db: sqlite_utils.Database,
) -> None:
    # A DNS answer can change (a VPN, split-horizon DNS): a failure like a 503, not disabled at
    # once; disabled only when refused at max_failures polls in a row, with the refusal's reason.
    resolver = _resolver({"feeds.example": "10.0.0.5"})
    # disable_after 0: the count alone disables (the time it takes is `test_feed_outage_lifetime`).
    polling = PollingConfig(
        allow_private_networks=False, timeout=5.0, max_failures=3, disable_after=0
    )
    feed = feed_store.add_feed(db, "http://feeds.example/rss.xml", origin="chat")
    now = utcnow()
    for poll in range(1, 4):
        async with FeedFetcher(allow_private_networks=False, resolver=resolver) as fetcher:
            report = await poll_feeds(db, polling, now=now, fetcher=fetcher)
        (result,) = report.feeds
        stored = feed_store.get_feed(db, feed.id)
        assert stored is not None and stored.consecutive_failures == poll
        if poll < 3:
            assert result.status == "failed"
            assert stored.disabled_reason is None
            assert stored.last_error == (
                "refused: feeds.example resolves to private address 10.0.0.5 "
                "([polling] allow_private_networks would allow it)"
            )
            assert stored.next_poll_at is not None
            assert now < stored.next_poll_at < now + timedelta(days=1)  # the backoff
            now = stored.next_poll_at
    assert result.status == "disabled"
    assert stored.disabled_reason == (
        "refused: feeds.example resolves to private address 10.0.0.5, at the last of 3 failed "
        "polls in a row; if the name is public, a VPN, split-horizon DNS or a DNS blocker "
        "answers so: check the machine's DNS; if the feed is on your network, set "
        "allow_private_networks = true under [polling], then re-enable the feed (newsdigest feeds "
        "enable)"
    )
    assert result.error == stored.disabled_reason  # what `poll` prints
    # Not polled again: not due later, nor by a pass that polls every due feed.
    assert feed_store.due_feeds(db, now + timedelta(days=30)) == []
    assert resolver.asked == ["feeds.example"] * 3  # type: ignore[attr-defined]


async def test_a_feed_refused_by_a_passing_dns_answer_recovers_on_its_own(
    db: sqlite_utils.Database,
) -> None:
    # A DNS blocker answering 0.0.0.0 for a while (or a VPN's 10.x): once the answer is the
    # server's again, the next poll after the backoff reads the feed.
    answers = {"feeds.example": "0.0.0.0"}
    resolver = _resolver(answers)
    with FeedServer({"/rss.xml": Reply(body=RSS)}) as server:
        url = f"http://feeds.example:{server.port}/rss.xml"
        feed = feed_store.add_feed(db, url, origin="cli")
        now = utcnow()
        async with FeedFetcher(allow_private_networks=True, resolver=resolver) as fetcher:
            first = await poll_feeds(db, LOOPBACK_OK, now=now, fetcher=fetcher)
        assert first.feeds[0].status == "failed"
        stored = feed_store.get_feed(db, feed.id)
        assert stored is not None and stored.disabled_reason is None
        assert stored.last_error == "refused: feeds.example resolves to unspecified address 0.0.0.0"
        answers["feeds.example"] = "127.0.0.1"  # the blocker lets the name through again
        assert stored.next_poll_at is not None
        async with FeedFetcher(allow_private_networks=True, resolver=resolver) as fetcher:
            later = await poll_feeds(db, LOOPBACK_OK, now=stored.next_poll_at, fetcher=fetcher)
    assert later.feeds[0].status == "new"
    stored = feed_store.get_feed(db, feed.id)
    assert stored is not None and stored.consecutive_failures == 0
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("answer", "what", "cause"),
    [
        (
            "0.0.0.0",
            "unspecified address 0.0.0.0, which no setting allows",
            "a DNS blocker (Pi-hole, AdGuard) answers so for a name it blocks: allow the name "
            "there, or fix the address",
        ),
        (
            "198.18.0.7",
            "benchmarking address 198.18.0.7",
            "a fake-IP proxy (Clash, sing-box) answers so for every name: set "
            "allow_private_networks = true under [polling]",
        ),
    ],
)
async def test_the_reason_of_a_lasting_dns_refusal_names_its_likely_cause(
    db: sqlite_utils.Database, answer: str, what: str, cause: str
) -> None:
    polling = PollingConfig(
        allow_private_networks=False, timeout=5.0, max_failures=1, disable_after=0
    )
    feed = feed_store.add_feed(db, "http://feeds.example/rss.xml", origin="chat")
    resolver = _resolver({"feeds.example": answer})
    async with FeedFetcher(allow_private_networks=False, resolver=resolver) as fetcher:
        await poll_feeds(db, polling, fetcher=fetcher)
    stored = feed_store.get_feed(db, feed.id)
    assert stored is not None
    # Not "fix the address" alone: the name is likely public, and the blocker or proxy the cause.
    assert stored.disabled_reason == (
        f"refused: feeds.example resolves to {what}; "
        f"{cause}, then re-enable the feed (newsdigest feeds enable)"
    )


async def test_a_redirect_to_a_literal_link_local_address_is_disabled_at_once(
    db: sqlite_utils.Database,
) -> None:
    routes = {
        "/rss.xml": Reply(status=302, headers={"Location": "http://169.254.169.254/latest"}),
    }
    with FeedServer(routes) as server:
        url = server.url("/rss.xml")
        feed = feed_store.add_feed(db, url, origin="cli")
        async with FeedFetcher(allow_private_networks=True) as fetcher:
            report = await poll_feeds(db, LOOPBACK_OK, fetcher=fetcher)
    assert report.feeds[0].status == "disabled"
    stored = feed_store.get_feed(db, feed.id)
    assert stored is not None
    assert stored.disabled_reason == (
        "refused: redirected to http://169.254.169.254/latest: link-local address "
        "169.254.169.254, which no setting allows; fix the address, then re-enable the feed "
        "(newsdigest feeds enable)"
    )


async def test_a_redirect_to_a_name_resolving_to_link_local_backs_off(
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
            report = await poll_feeds(db, LOOPBACK_OK, fetcher=fetcher)
    assert report.feeds[0].status == "failed"
    stored = feed_store.get_feed(db, feed.id)
    assert stored is not None and stored.disabled_reason is None
    assert stored.last_error == (
        "refused: redirected to http://meta.example/latest: meta.example resolves to link-local "
        "address 169.254.169.254"
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
            "refused: loopback address 127.0.0.1; set allow_private_networks = true under [polling]"
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
    text = unmarked(disabled_feed_text(feed))
    assert text.startswith(
        f"The feed `http://feeds.example/rss.xml` (feed #4) was disabled: {reason}. "
    )
    assert "failed poll" not in text


async def test_run_enables_at_start_the_feeds_the_setting_now_allows(
    db: sqlite_utils.Database,
) -> None:
    # `run` reads the config at start: a setting turned on since then needs no `feeds enable`.
    with FeedServer({"/rss.xml": Reply(body=RSS)}) as server:
        allowed = feed_store.add_feed(db, server.url("/rss.xml"), origin="cli")
        await poll_feeds(db, STRICT)
    never = feed_store.add_feed(db, "http://feeds.example/never.xml", origin="cli")
    link_local = (
        "refused: redirected to http://169.254.169.254/x: link-local address 169.254.169.254, "
        "which no setting allows; fix the address, then re-enable the feed (newsdigest feeds "
        "enable)"
    )
    feed_store.update_feed(db, never.id, disabled_reason=link_local)
    core = SimpleNamespace(db=db, config=SimpleNamespace(polling=LOOPBACK_OK))
    poller = Poller(core, _ignore, clock=utcnow)  # type: ignore[arg-type]
    await poller.open(spread=0)
    await poller.fetcher.aclose()  # type: ignore[union-attr]
    again = feed_store.get_feed(db, allowed.id)
    assert again is not None and again.disabled_reason is None
    assert again.last_outcome == "re-enabled"
    still = feed_store.get_feed(db, never.id)
    assert still is not None and still.disabled_reason == link_local


async def _ignore(_report: object) -> None:
    return None
