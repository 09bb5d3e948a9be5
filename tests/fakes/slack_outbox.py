"""The real outbox and Slack adapter (slack-sdk over HTTP) against the fake Web API
(`slack_api`), on a test's database, with the clock the test moves (`now`, from `T0`): what the
tests of Slack's 429s drive. The fake's recorded calls tell what was tried."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import sqlite_utils

from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.delivery.outbox import CardSource, DrainReport, Outbox, OutboxSettings, Sleep
from bot.store import deliveries as store
from bot.store.channels import ChannelRow
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import queue_story

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
WAIT = 30  # Slack's Retry-After, seconds
RATE_LIMITED = {"status": 429, "body": {"ok": False, "error": "ratelimited"}}
# A drain that slept through the Retry-After (as slack-sdk's retry handler did) would take WAIT
# seconds or more; this only keeps such a regression from hanging the run. What the tests
# assert is what was tried and when each row is due.
PROMPT = 5.0


class SlackOutbox:
    """`db`'s outbox with the Slack adapter registered, pacing nothing. `sleep` is the adapter's
    (what a card's overflow part waits through), `outbox_sleep` the outbox's."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        fake: FakeSlackAPI,
        card_source: CardSource,
        *,
        sleep: Sleep,
        outbox_sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.db = db
        self.fake = fake
        self.now = T0
        # Slack stamps what it posts with the time it is, here the test's: a lookup bounded by
        # `oldest` (a digest heading's) sees what was posted since, as it would on Slack.
        fake.clock = lambda: self.now.timestamp()
        self.outbox = Outbox(
            db,
            card_source,
            settings=OutboxSettings(pace=0),
            clock=lambda: self.now,
            sleep=outbox_sleep,
        )
        client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=fake.api_url))
        self.adapter = SlackAdapter(client, pacer=ChannelPacer(0), sleep=sleep)
        self.outbox.register(self.adapter)

    async def drain(self) -> DrainReport:
        return await asyncio.wait_for(self.outbox.drain(), PROMPT)

    def queue(self, channel: ChannelRow, *stories: str) -> list[int]:
        return [queue_story(self.db, channel, story, now=self.now) for story in stories]

    def row(self, row_id: int) -> store.DeliveryRow:
        row = store.get(self.db, row_id)
        assert row is not None
        return row

    def rows(self, ids: list[int]) -> list[store.DeliveryRow]:
        return [self.row(i) for i in ids]
