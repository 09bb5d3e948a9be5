"""A story that keeps growing gets paced thread replies, not one an hour: the gap after the card
doubles with each reply (1 h, 2 h, 4 h, then 8 h at most) while the story keeps growing, and
starts over once it went quiet. The card's count never lags: each growth edits it silently. No
outlet is dropped: a reply names every outlet that joined since the one before, and the pacing
lives in the database, so a restart mid-gap neither resends nor hurries a reply.

Real planner, outbox and Slack adapter (slack-sdk over HTTP) against the fake Web API, on a real
SQLite file; assertions are on the JSON the fake recorded."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel, add_story, grow_story, make_card_source

from bot.adapters.slack.adapter import UPDATE_EVENT_TYPE, ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.cards import StoryCard
from bot.cluster.wire import independent_sources
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.delivery.update_pacing import reply_gap
from bot.pipeline.clustering import DEFAULT_WINDOW
from bot.pipeline.story_upkeep import refresh_counts
from bot.runner import digests, update_planner
from bot.runner.unmutes import CatchUp, unmute
from bot.store import articles as article_store
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store.channels import ChannelRow
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)


class World:
    """One Slack channel shown story s1 (outlets A and B) at T0; an hourly poll grows it."""

    def __init__(self, fake: FakeSlackAPI, path: Path, *, quiet_hours: str | None = None) -> None:
        self.fake = fake
        self.path = path
        self.now = T0
        self.db = open_database(path)
        self.channel = add_channel(self.db, "C1", quiet_hours=quiet_hours)
        add_story(self.db, "s1", ["A", "B"], now=T0)
        digests.enqueue_digest(self.db, self.channel, now=T0)
        self.start()

    def start(self) -> None:
        """A (re)started process: a new outbox and adapter on the same database file."""
        client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=self.fake.api_url))
        self.adapter = SlackAdapter(client, pacer=ChannelPacer(0), sleep=self._no_sleep)
        self.outbox = Outbox(
            self.db,
            make_card_source(self.db, T0),
            settings=OutboxSettings(pace=0, update_interval=HOUR),
            clock=lambda: self.now,
        )
        self.outbox.register(self.adapter)

    def restart(self) -> None:
        self.db.close()
        self.db = open_database(self.path)
        self.start()

    async def _no_sleep(self, seconds: float) -> None:
        return None

    async def poll(self, *outlets: str) -> None:
        """One poll pass at `now`: the story gains `outlets`, the planner runs, the outbox
        drains."""
        if outlets:
            grow_story(self.db, "s1", list(outlets), now=self.now)
        update_planner.enqueue_updates(self.db, {"s1"}, now=self.now, interval=HOUR)
        await self.outbox.drain()

    def card(self) -> dict[str, Any]:
        [card] = [m for m in self.fake.messages["C1"] if "thread_ts" not in m]
        return card

    def card_count(self) -> int:
        found = re.search(r"(\d+) sources", str(self.card()["blocks"][1]))
        assert found, self.card()["blocks"][1]
        return int(found.group(1))

    def replies(self) -> list[dict[str, Any]]:
        return [
            m
            for m in self.fake.messages["C1"]
            if (m.get("metadata") or {}).get("event_type") == UPDATE_EVENT_TYPE
        ]


def named(reply: dict[str, Any]) -> list[str]:
    """The outlets a reply says joined ("*Update:* C, D joined. Now 4 sources tracking ...")."""
    lead = reply["blocks"][0]["text"]["text"]
    found = re.match(r"\*Update:\* (.*) joined\.", lead)
    assert found, lead
    return found.group(1).split(", ")


async def test_a_story_growing_every_hour_for_a_day_gets_paced_replies(
    slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    world = World(slack_api, tmp_path / "nd.db")
    await world.poll()
    reply_hours = []
    for hour in range(1, 25):
        world.now = T0 + hour * HOUR
        before = len(world.replies())
        await world.poll(f"O{hour:02}")
        if len(world.replies()) > before:
            reply_hours.append(hour)
        # The card shows the count the story has reached, every hour, reply or not.
        assert world.card_count() == 2 + hour
    # 1 h after the card, then 2 h, 4 h, and 8 h from then on: 5 replies in the day, not 24.
    assert reply_hours == [1, 3, 7, 15, 23]
    # The last outlet is told with the next reply, 8 h after the one before.
    for hour in range(25, 32):
        world.now = T0 + hour * HOUR
        await world.poll()
    assert len(world.replies()) == 6
    said = [name for reply in world.replies() for name in named(reply)]
    assert Counter(said) == Counter(f"O{hour:02}" for hour in range(1, 25))
    assert named(world.replies()[-1]) == ["O24"]
    assert world.card_count() == 26
    # Each edit between replies is one chat.update of the card, never a post.
    assert len(slack_api.calls_to("chat.postMessage")) == 1 + 6
    assert all(c["ts"] == world.card()["ts"] for c in slack_api.calls_to("chat.update"))


async def test_a_story_that_went_quiet_is_told_at_once_and_paced_afresh(
    slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    world = World(slack_api, tmp_path / "nd.db")
    await world.poll()
    for hour in (1, 2, 3):  # replies at 1 and 3 (gaps 1 h, 2 h)
        world.now = T0 + hour * HOUR
        await world.poll(f"O{hour}")
    assert [named(r) for r in world.replies()] == [["O1"], ["O2", "O3"]]
    # Nothing for half a day, more than the longest gap: the next news is told at once...
    world.now = T0 + 16 * HOUR
    await world.poll("P1")
    assert named(world.replies()[-1]) == ["P1"]
    # ...and the one after it waits twice the interval, as after a card's first reply.
    world.now = T0 + 17 * HOUR
    await world.poll("P2")
    assert len(world.replies()) == 3
    assert world.card_count() == 7
    world.now = T0 + 18 * HOUR
    await world.poll()
    assert named(world.replies()[-1]) == ["P2"]


async def test_a_restart_mid_gap_keeps_the_pace_and_sends_each_reply_once(
    slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    world = World(slack_api, tmp_path / "nd.db")
    await world.poll()
    world.now = T0 + HOUR
    await world.poll("C")  # the first reply; the next one waits 2 h
    world.now = T0 + 90 * MINUTE
    await world.poll("D")
    assert len(world.replies()) == 1 and world.card_count() == 4
    world.restart()
    world.now = T0 + 2 * HOUR
    await world.poll("E")
    assert len(world.replies()) == 1  # still within the 2 h gap
    assert world.card_count() == 5
    world.restart()
    world.now = T0 + 3 * HOUR
    await world.poll()
    world.restart()
    await world.poll()
    assert [named(r) for r in world.replies()] == [["C"], ["D", "E"]]
    assert not store.in_state(world.db, "pending") and not store.in_state(world.db, "sending")


async def test_quiet_hours_hold_a_digest_channels_reply_and_edit(
    slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    world = World(slack_api, tmp_path / "nd.db", quiet_hours="22:00-07:00")
    await world.poll()
    world.now = datetime(2024, 5, 6, 23, 0, tzinfo=UTC)
    await world.poll("C")
    assert not world.replies() and world.card_count() == 2
    world.now = datetime(2024, 5, 7, 0, 0, tzinfo=UTC)
    await world.poll("D")
    assert not world.replies() and not slack_api.calls_to("chat.update")
    world.now = datetime(2024, 5, 7, 7, 0, tzinfo=UTC)
    await world.poll()
    assert [named(r) for r in world.replies()] == [["C", "D"]]
    assert world.card_count() == 4


async def test_an_unmute_catch_up_is_paced_as_any_reply_and_edits_the_card_at_once(
    slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    world = World(slack_api, tmp_path / "nd.db")
    await world.poll()
    world.now = T0 + HOUR
    await world.poll("C")  # the first reply: the next waits 2 h, until T0 + 3 h
    channel_store.mute_story(world.db, world.channel.id, "s1")
    world.now = T0 + 2 * HOUR
    await world.poll("D")
    assert world.card_count() == 3  # muted: not even the card is touched
    world.now = T0 + 150 * MINUTE
    done = unmute(world.db, world.channel, "s1", now=world.now, interval=HOUR)
    assert done.catch_up is CatchUp.UPDATE
    await world.outbox.drain()
    assert len(world.replies()) == 1 and world.card_count() == 4
    world.now = T0 + 3 * HOUR
    await world.poll()
    assert [named(r) for r in world.replies()] == [["C"], ["D"]]


WIRE = " ".join(f"agency{i} harbour council vote lighthouse grant" for i in range(8))
OWN = " ".join(f"own{i} mayor interview tells our reporter why" for i in range(8))


def report(world: World, outlet: str, text: str) -> None:
    """`outlet` reports story s1 with `text`, seen now."""
    (article,) = article_store.insert_new(
        world.db,
        [{"source": outlet, "guid": outlet, "title": outlet, "text": text, "seen_at": world.now}],
    )
    article_store.set_story(world.db, article.id, "s1")
    refresh_counts(world.db, "s1", window=DEFAULT_WINDOW)


def counted_as_the_card_does(world: World) -> None:
    """Cards count wire copy once, as `bot.pipeline.cards.build_card` does."""
    plain = make_card_source(world.db, T0)

    def card_for(story_id: str, channel: ChannelRow) -> StoryCard | None:
        card = plain(story_id, channel)
        if card is not None:
            members = article_store.story_articles(world.db, story_id)
            card.source_count, card.wire_groups = independent_sources(members)
        return card

    world.outbox.card_source = card_for


async def test_wire_copy_alone_edits_the_card_and_is_named_with_the_next_reply(
    slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    world = World(slack_api, tmp_path / "nd.db")
    counted_as_the_card_does(world)
    await world.poll()
    world.now = T0 + HOUR
    report(world, "C", WIRE)
    await world.poll()
    assert [named(r) for r in world.replies()] == [["C"]]
    world.now = T0 + 90 * MINUTE
    report(world, "D", WIRE)  # the agency's copy again: no new source, no reply
    await world.poll()
    assert len(world.replies()) == 1
    assert "*3 sources tracking this story (4 outlets; shared wire copy" in str(world.card())
    world.now = T0 + 4 * HOUR
    report(world, "E", OWN)
    await world.poll()
    assert [named(r) for r in world.replies()] == [["C"], ["D", "E"]]


async def test_a_card_source_counting_otherwise_gets_one_edit_not_one_per_drain(
    slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    # The plain test card source counts outlets, the planner independent sources: the card can
    # never show what the planner counts. It must not be edited again at every planning.
    world = World(slack_api, tmp_path / "nd.db")
    await world.poll()
    world.now = T0 + HOUR
    report(world, "C", WIRE)
    await world.poll()
    world.now = T0 + 90 * MINUTE
    report(world, "D", WIRE)
    for minutes in range(90, 120, 5):
        world.now = T0 + minutes * MINUTE
        await world.poll()
    # The first reply's own edit, then one edit for D.
    assert len(slack_api.calls_to("chat.update")) == 2


def test_the_gap_doubles_within_a_run_and_starts_over_after_a_quiet_spell() -> None:
    assert reply_gap([], interval=HOUR) == HOUR

    def sent(*hours: float) -> list[tuple[datetime, datetime]]:
        return [(T0 + h * HOUR, T0 + h * HOUR) for h in hours]

    assert reply_gap(sent(1), interval=HOUR) == 2 * HOUR
    assert reply_gap(sent(1, 3), interval=HOUR) == 4 * HOUR
    assert reply_gap(sent(1, 3, 7, 15, 23), interval=HOUR) == 8 * HOUR
    # Queued more than 8 h after the reply before: a new run, as if after the card's first.
    assert reply_gap(sent(1, 3, 7, 15.5), interval=HOUR) == 2 * HOUR
    assert reply_gap(sent(1, 3), interval=timedelta(0)) == timedelta(0)
