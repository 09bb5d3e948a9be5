"""Instant channels get news, not a feed's backlog: the first poll of feeds whose items are a day
or two old (a first start, an OPML import, /feeds add) stores them all at once, and none of them
is "news" for an instant channel. Digests, among stories with as many sources, keep the newest
news. The real service and poller against loopback feeds, real SQLite, the fake chat adapter."""

from __future__ import annotations

import email.utils
from datetime import datetime, timedelta
from pathlib import Path

from fakes.chat import FakeChatAdapter
from fakes.runner import stop

from bot.app import NewsDigest
from bot.config import ChannelConfig, Config, FeedConfig, PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.runner import digests
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import feeds as feed_store
from bot.store.database import open_database, utcnow

PLACES = [
    "Abrington",
    "Belmoor",
    "Castrey",
    "Dunwold",
    "Elkhaven",
    "Farrowby",
    "Glenmire",
    "Hollerton",
    "Ivybridge",
    "Jorvale",
    "Kestrel Bay",
    "Lunford",
]
THINGS = [
    "library",
    "tram line",
    "hospital wing",
    "football stadium",
    "water plant",
    "school",
    "airport runway",
    "harbour wall",
    "concert hall",
    "bus depot",
    "solar farm",
    "fire station",
]
VERBS = ["approves", "opens", "delays", "cancels"]


def item(outlet: str, i: int, published: datetime) -> str:
    place, thing, verb = PLACES[i], THINGS[i], VERBS[i % 4]
    if outlet == "north":
        title = f"{place} council {verb} {thing} project"
        body = (
            f"The council in {place} {verb} the {thing} project on Thursday, officials said. "
            f"The {thing} had been debated in {place} for {i + 3} years."
        )
    else:
        title = f"{thing.capitalize()} project in {place}: council {verb} plan"
        body = (
            f"Officials in {place} confirmed the decision on the {thing} at a Thursday meeting, "
            f"ending {i + 3} years of argument among residents about the scheme."
        )
    return (
        f"<item><title>{title}</title><link>http://{outlet}.example/{i}.html</link>"
        f"<guid>{outlet}-{i}</guid><pubDate>{email.utils.format_datetime(published)}</pubDate>"
        f"<description>{body}</description></item>"
    )


def feed(outlet: str, ages: list[float], now: datetime) -> bytes:
    """Story i published `ages[i]` hours before `now`, newest first as feeds list them."""
    order = sorted(range(len(ages)), key=lambda i: ages[i])
    items = "".join(item(outlet, i, now - timedelta(hours=ages[i])) for i in order)
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{outlet}</title>'
        f"<link>http://{outlet}.example/</link><description>x</description>{items}"
        "</channel></rss>"
    ).encode()


def make_service(
    tmp_path: Path, server: FeedServer, channel: ChannelConfig, now: datetime
) -> tuple[Service, FakeChatAdapter]:
    config = Config(
        database=str(tmp_path / "nd.db"),
        polling=PollingConfig(allow_private_networks=True, timeout=5.0),
        feeds=[FeedConfig(url=server.url("/north.xml")), FeedConfig(url=server.url("/south.xml"))],
        channels=[channel],
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    # The start spread keeps the scheduler's poller off the feeds: the test polls them itself.
    settings = RunnerSettings(health_port=None, post_pace=0, start_spread=3600)
    service = Service(config, core=core, settings=settings, clock=lambda: now, env={})
    chat = FakeChatAdapter("slack")
    service.register_adapter(chat)
    return service, chat


async def poll_all(service: Service, now: datetime) -> None:
    """One poll pass over every feed, as the poller runs it, then its instant posts and updates."""
    report = await service.core.poll(feeds=feed_store.list_feeds(service.db), now=now)
    await service.on_poll_pass(report)
    await service.outbox.drain()


async def test_the_first_poll_of_day_old_feeds_posts_no_instant_story(tmp_path: Path) -> None:
    now = utcnow()
    # Twelve stories both outlets carry, 20 to 42 hours old; the last one is an hour old.
    ages = [20.0 + 2 * i for i in range(11)] + [1.0]
    routes = {
        "/north.xml": Reply(body=feed("north", ages, now), content_type="application/rss+xml"),
        "/south.xml": Reply(body=feed("south", ages, now), content_type="application/rss+xml"),
    }
    channel = ChannelConfig(platform="slack", id="C1", mode="instant", min_sources=2)
    with FeedServer(routes) as server:
        service, chat = make_service(tmp_path, server, channel, now)
        await service.start()
        await poll_all(service, now)
        two_sourced = [
            s
            for s in service.core.recent_stories(hours=48, min_sources=2, now=now)
            if s.source_count == 2
        ]
        await stop(service)
    assert len(two_sourced) == 12  # every story qualifies by its sources...
    # ...but only the one reported within the instant window is news.
    assert [m.text for m in chat.cards()] == ["Lunford council cancels fire station project"]
    assert chat.texts() == []


async def test_a_digest_keeps_the_newest_of_stories_with_as_many_sources(tmp_path: Path) -> None:
    now = utcnow()
    ages = [20.0 + 2 * i for i in range(12)]  # Abrington newest ... Lunford oldest
    routes = {
        "/north.xml": Reply(body=feed("north", ages, now), content_type="application/rss+xml"),
        "/south.xml": Reply(body=feed("south", ages, now), content_type="application/rss+xml"),
    }
    channel = ChannelConfig(platform="slack", id="C1", min_sources=2)
    with FeedServer(routes) as server:
        service, chat = make_service(tmp_path, server, channel, now)
        await service.start()
        await poll_all(service, now)
        assert digests.enqueue_digest(service.db, service.digest_channels()[0], now=now) == 10
        await service.outbox.drain()
        await stop(service)
    # Newest news first; the two oldest are the ones that did not fit.
    assert [m.text.split(" council")[0] for m in chat.cards()] == PLACES[:10]
    [note] = chat.texts()
    # Listed after the cards, each with its own line.
    assert note.text.startswith("Also matching this channel, without a card in this digest")
    assert [line.split(" council")[0][2:] for line in note.text.splitlines()[1:]] == PLACES[10:]
