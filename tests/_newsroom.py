"""A small newsroom for end-to-end story tests: outlets' RSS feeds served on 127.0.0.1, a real
NewsDigest polling them, the runner planning posts and updates, and a fake Slack channel that
records what it was sent. The test moves the clock and says what each outlet publishes."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from fakes.chat import FakeChatAdapter

from bot.app import NewsDigest
from bot.cards import StoryCard
from bot.config import ChannelConfig, Config, FeedConfig, PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.pipeline.cards import build_card
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import feeds as feed_store
from bot.store.database import open_database

# guid, title, text, published
Item = tuple[str, str, str, datetime]


def _rss(site: str, items: list[Item]) -> bytes:
    body = "".join(
        f"<item><title>{escape(title)}</title><link>{site}/n/{guid}</link>"
        f"<guid isPermaLink='false'>{guid}</guid><pubDate>{format_datetime(published)}</pubDate>"
        f"<description>{escape(text)}</description></item>"
        for guid, title, text, published in items
    )
    return (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>{site}</title>"
        f"<link>{site}/</link>{body}</channel></rss>"
    ).encode()


class Newsroom:
    """Feeds `feeds` (path -> (configured name, site link)) and one instant Slack channel."""

    def __init__(self, tmp_path: Path, feeds: dict[str, tuple[str, str]], now: datetime) -> None:
        self.now = now
        self.sites = {path: site for path, (_name, site) in feeds.items()}
        self.items: dict[str, list[Item]] = {path: [] for path in feeds}
        self.server = FeedServer(
            {f"/{path}": Reply(body=_rss(self.sites[path], [])) for path in feeds}
        ).start()
        self.config = Config(
            database=str(tmp_path / "nd.db"),
            polling=PollingConfig(allow_private_networks=True, timeout=5.0),
            feeds=[
                FeedConfig(url=self.server.url(f"/{path}"), name=name)
                for path, (name, _site) in feeds.items()
            ],
            channels=[ChannelConfig(platform="slack", id="C1", mode="instant", min_sources=2)],
        )
        self.core = NewsDigest(self.config, db=open_database(tmp_path / "nd.db"))
        self.core.sync_config()
        settings = RunnerSettings(
            health_port=None, post_pace=0, start_spread=0, update_interval=timedelta(0)
        )
        self.service = Service(
            self.config, core=self.core, settings=settings, clock=lambda: self.now, env={}
        )
        self.chat = FakeChatAdapter("slack")
        self.service.register_adapter(self.chat)

    async def __aenter__(self) -> Newsroom:
        # Its jobs paused: the test runs the passes. A poll job of the service's own, due at
        # start, clustered the test's articles beside its pass, and planned them off the loop
        # after the test had drained the outbox (half the runs).
        real_start = self.service.scheduler.start
        self.service.scheduler.start = lambda: real_start(paused=True)  # type: ignore[method-assign]
        await self.service.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.service.stop()
        self.core.close()
        self.server.close()

    def publish(
        self, path: str, guid: str, title: str, text: str, published: datetime | None = None
    ) -> None:
        self.items[path].insert(0, (guid, title, text, published or self.now))
        self.server.route(f"/{path}", Reply(body=_rss(self.sites[path], self.items[path])))

    async def poll(self) -> None:
        """One polling pass, its posts and updates planned and sent."""
        report = await self.core.poll(feeds=feed_store.list_feeds(self.core.db), now=self.now)
        await self.service.on_poll_pass(report)
        await self.service.outbox.drain()

    def card(self) -> StoryCard:
        """The card of the one story the feeds tell, as it stands now."""
        (story,) = self.core.recent_stories(now=self.now)
        return build_card(self.core.db, story, self.core.summarizer, now=self.now)
