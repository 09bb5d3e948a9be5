"""Slack's 429 through the outbox: not slept through inside the call, but held by the outbox.

A rate limited chat.postMessage comes back at once; the refused row and every row that needs a
post on Slack wait for the Retry-After (their next attempt set to it, no attempt used, no channel
paused, Slack not marked down), while card edits, other platforms and the rest of the drain go
on; then every row is posted exactly once. A rate limited history lookup holds the other checks
alike, not the posts. Real outbox and Slack adapter (slack-sdk over HTTP) against the fake Web
API, whose recorded calls tell what was tried; the drains' sleeps are recorded, not slept.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlite_utils
from fakes.chat import FakeChatAdapter
from fakes.slack_api import FakeSlackAPI
from fakes.slack_outbox import RATE_LIMITED, T0, WAIT, SlackOutbox
from fakes.stories import add_channel, grow_story, make_card_source

from bot.delivery.adapter import RateLimitedDeliveryError
from bot.delivery.rate_limits import POST, RateLimits
from bot.store import alerts as alert_store
from bot.store import card_refreshes, due_rows
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store.channels import ChannelRow


class World(SlackOutbox):
    """Slack's outbox with a fake Discord beside it; the drains' sleeps are recorded, not slept."""

    def __init__(self, db: sqlite_utils.Database, fake: FakeSlackAPI) -> None:
        self.sleeps: list[float] = []
        super().__init__(
            db, fake, make_card_source(db, T0), sleep=self.sleep, outbox_sleep=self.sleep
        )
        self.discord = FakeChatAdapter("discord")
        self.outbox.register(self.discord)

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def posted_stories(self, channel: str) -> list[str]:
        return [
            m["metadata"]["event_payload"]["story_id"]
            for m in self.fake.messages[channel]
            if "metadata" in m
        ]


def instant(db: sqlite_utils.Database, channel_id: str, platform: str = "slack") -> ChannelRow:
    return add_channel(db, channel_id, platform=platform, mode="instant")


def assert_waiting_for_the_retry_after(rows: list[store.DeliveryRow]) -> None:
    """Pending until the Retry-After, having used nothing: no attempt, no wait of their own."""
    for row in rows:
        assert row.state == "pending"
        assert row.next_attempt_at == T0 + timedelta(seconds=WAIT)
        assert row.attempts == 0 and row.waits == 0


async def test_a_429_returns_the_drain_at_once_and_the_posts_wait_out_its_retry_after(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world = World(db, slack_api)
    # A card posted earlier in another Slack channel, whose story grew: its edit is queued.
    edited = instant(db, "C2")
    world.queue(edited, "e1")
    await world.drain()
    grow_story(db, "e1", ["C"], now=T0)
    card_refreshes.enqueue(db, "e1", edited.id, now=T0, not_before=None)
    posts_before = len(slack_api.calls_to("chat.postMessage"))
    c1 = instant(db, "C1")
    ids = world.queue(c1, "s1", "s2", "s3")
    d1 = instant(db, "D1", platform="discord")
    world.queue(d1, "d1")

    slack_api.limit("chat.postMessage", WAIT)
    report = await world.drain()

    # One post was tried and refused; the channel's next ones were not even tried.
    assert len(slack_api.calls_to("chat.postMessage")) == posts_before + 1
    assert world.sleeps == []
    assert_waiting_for_the_retry_after(world.rows(ids))
    assert report.failed == 0 and report.paused == []
    assert not channel_store.get_channel_by_pk(db, c1.id).paused_reason  # type: ignore[union-attr]
    assert not world.outbox.outages  # asked to slow down: not an outage
    # chat.update has a limit of its own: the edit went out; so did Discord's post.
    assert [c["channel"] for c in slack_api.calls_to("chat.update")] == ["C2"]
    assert [m.story_id for m in world.discord.messages] == ["d1"]
    # The outbox's loop wakes for them when the Retry-After ends, not at its idle timer.
    assert due_rows.next_attempt_time(db, after=T0) == T0 + timedelta(seconds=WAIT)

    # Still inside the Retry-After: nothing is due, nothing is asked of Slack.
    world.now = T0 + timedelta(seconds=WAIT - 1)
    await world.drain()
    assert len(slack_api.calls_to("chat.postMessage")) == posts_before + 1

    slack_api.lift("chat.postMessage")
    world.now = T0 + timedelta(seconds=WAIT)
    await world.drain()
    assert world.posted_stories("C1") == ["s1", "s2", "s3"]  # each once, in order
    assert [row.state for row in world.rows(ids)] == ["sent"] * 3
    assert len(slack_api.calls_to("chat.postMessage")) == posts_before + 1 + 3
    assert store.in_state(db, "failed") == []
    # Rows sent after 429 use no attempt: the one the claim took was given back.
    assert [row.attempts for row in world.rows(ids)] == [1, 1, 1]


async def test_a_429_in_one_channel_holds_every_slack_channels_posts(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world = World(db, slack_api)
    c1, c2 = instant(db, "C1"), instant(db, "C2")
    first = world.queue(c1, "a1", "b1")
    slack_api.limit("chat.postMessage", WAIT)
    await world.drain()
    [tried] = slack_api.calls_to("chat.postMessage")
    assert tried["channel"] == "C1"

    # Another channel's posts queued after the 429, inside its Retry-After: a limit held only
    # per channel would try C2's post now. The hold is on Slack's posts, not C1's.
    world.now = T0 + timedelta(seconds=1)
    second = world.queue(c2, "a2", "b2")
    await world.drain()
    assert [c["channel"] for c in slack_api.calls_to("chat.postMessage")] == ["C1"]
    for row in world.rows(first + second):
        assert row.state == "pending" and row.next_attempt_at == T0 + timedelta(seconds=WAIT)
        assert row.attempts == 0 and row.waits == 0

    slack_api.lift("chat.postMessage")
    world.now = T0 + timedelta(seconds=WAIT)
    await world.drain()
    assert world.posted_stories("C1") == ["a1", "b1"]
    assert world.posted_stories("C2") == ["a2", "b2"]
    assert store.in_state(db, "failed") == [] and store.in_state(db, "pending") == []


async def test_a_rate_limited_digest_heading_holds_its_cards_and_heads_them_later(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world = World(db, slack_api)
    digest = add_channel(db, "C1", mode="digest")
    ids = world.queue(digest, "s1", "s2")
    slack_api.limit("chat.postMessage", WAIT)
    await world.drain()
    # The heading was refused: its cards would be too, so they were not tried.
    [heading] = slack_api.calls_to("chat.postMessage")
    assert "metadata" not in heading
    assert_waiting_for_the_retry_after(world.rows(ids))

    slack_api.lift("chat.postMessage")
    world.now = T0 + timedelta(seconds=WAIT)
    await world.drain()
    shown = slack_api.messages["C1"]
    assert len(shown) == 3 and "metadata" not in shown[0]  # the heading, then its cards
    assert world.posted_stories("C1") == ["s1", "s2"]


def shown(fake: FakeSlackAPI, channel: str) -> list[str]:
    """The channel as a person sees it: HEADING, or the story of each card."""
    return [
        m["metadata"]["event_payload"]["story_id"] if "metadata" in m else "HEADING"
        for m in fake.messages[channel]
    ]


async def test_cards_held_after_their_posted_heading_go_out_under_it_not_a_second_one(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world = World(db, slack_api)
    digest = add_channel(db, "C1", mode="digest")
    ids = world.queue(digest, "s1", "s2")
    slack_api.script_usual("chat.postMessage")  # the heading lands
    slack_api.script("chat.postMessage", headers={"Retry-After": str(WAIT)}, **RATE_LIMITED)
    await world.drain()
    assert shown(slack_api, "C1") == ["HEADING"]
    assert_waiting_for_the_retry_after(world.rows(ids))

    world.now = T0 + timedelta(seconds=WAIT)
    await world.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2"]

    # The next digest's cards get their own heading.
    world.now = T0 + timedelta(hours=1)
    world.queue(digest, "s3", "s4")
    await world.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2", "HEADING", "s3", "s4"]


async def test_cards_held_long_after_their_heading_still_go_out_under_it(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world = World(db, slack_api)
    digest = add_channel(db, "C1", mode="digest")
    world.queue(digest, "s1", "s2")
    slack_api.script_usual("chat.postMessage")
    slack_api.script("chat.postMessage", headers={"Retry-After": "1200"}, **RATE_LIMITED)
    await world.drain()
    # Twenty minutes on, they are still that digest's cards: no second heading for them.
    world.now = T0 + timedelta(seconds=1200)
    await world.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2"]


async def test_a_rate_limited_notice_waits_with_the_posts(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world = World(db, slack_api)
    channel = instant(db, "C1")
    ids = world.queue(channel, "s1")
    alert_store.enqueue_alert(db, channel.id, "feed-off", "A feed was disabled", now=T0)
    slack_api.limit("chat.postMessage", WAIT)
    await world.drain()
    # The story's post was refused; the notice, due in the same drain, was not tried.
    assert len(slack_api.calls_to("chat.postMessage")) == 1
    assert due_rows.next_attempt_time(db, after=T0) == T0 + timedelta(seconds=WAIT)

    slack_api.lift("chat.postMessage")
    world.now = T0 + timedelta(seconds=WAIT)
    await world.drain()
    assert [row.state for row in world.rows(ids)] == ["sent"]
    texts = [m["text"] for m in slack_api.messages["C1"]]
    assert len(texts) == 2 and any("A feed was disabled" in t for t in texts)


async def test_a_rate_limited_history_lookup_holds_the_checks_not_the_posts(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world = World(db, slack_api)
    # Two posts that landed, then the process died before recording them: each is checked
    # in its channel's history before anything is resent.
    crashed = []
    for channel_id, story in (("C1", "s1"), ("C2", "s2")):
        channel = instant(db, channel_id)
        [row_id] = world.queue(channel, story)
        row = store.claim(db, row_id, T0)
        assert row is not None
        card = make_card_source(db, T0)(story, channel)
        await world.adapter.post_card(channel, card, nonce=row.nonce)
        crashed.append(row_id)
    fresh = world.queue(instant(db, "C3"), "s3")
    posts_before = len(slack_api.calls_to("chat.postMessage"))

    slack_api.limit("conversations.history", WAIT)
    await world.drain()
    # Each channel's drain checks its own (`channel_drain`), but one lookup at a time on the
    # workspace (`Outbox.lookups`): the first was refused, the other was not asked of Slack
    # (the limit is the workspace's: it would only have been refused too); the new post went out.
    assert len(slack_api.calls_to("conversations.history")) == 1
    for row in world.rows(crashed):
        assert row.state == "sending" and row.next_attempt_at == T0 + timedelta(seconds=WAIT)
    assert world.posted_stories("C3") == ["s3"]
    assert [row.state for row in world.rows(fresh)] == ["sent"]
    assert not world.outbox.outages and world.sleeps == []
    # Inside the Retry-After no check is asked of Slack again.
    world.now = T0 + timedelta(seconds=WAIT - 1)
    await world.drain()
    assert len(slack_api.calls_to("conversations.history")) == 1

    slack_api.lift("conversations.history")
    world.now = T0 + timedelta(seconds=WAIT)
    await world.drain()
    # Found landed, never resent: each story is in its channel once.
    assert [row.state for row in world.rows(crashed)] == ["sent", "sent"]
    assert world.posted_stories("C1") == ["s1"] and world.posted_stories("C2") == ["s2"]
    assert len(slack_api.calls_to("chat.postMessage")) == posts_before + 1


def test_a_second_429_asking_a_shorter_wait_does_not_shorten_the_hold_in_force() -> None:
    """A send already under way when the first 429 came gets its own 429 with a smaller
    Retry-After (the platform counts down): the route stays held until the first wait ends."""
    limits = RateLimits()
    first = limits.hold("slack", POST, RateLimitedDeliveryError("429", retry_after=30), T0)
    assert first == T0 + timedelta(seconds=30)
    later = T0 + timedelta(seconds=5)
    second = limits.hold("slack", POST, RateLimitedDeliveryError("429", retry_after=1), later)
    assert second == T0 + timedelta(seconds=30)
    assert limits.until("slack", POST, T0 + timedelta(seconds=29)) == T0 + timedelta(seconds=30)
    # A longer one does push the hold out.
    third = limits.hold("slack", POST, RateLimitedDeliveryError("429", retry_after=60), later)
    assert third == later + timedelta(seconds=60)
    assert limits.until("slack", POST, later + timedelta(seconds=60)) is None


@pytest.mark.parametrize("retry_after", ["nan", "inf", "-5", "1e20", "86400000"])
async def test_a_retry_after_that_is_no_sane_wait_holds_the_posts_an_hour_at_most(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI, retry_after: str
) -> None:
    # "nan" and "inf" parse as floats, and 1e20 seconds overflowed a datetime: the send crashed
    # and left its row `sending`. A wait of days held every post of the workspace until the
    # stale rule gave them all up.
    world = World(db, slack_api)
    ids = world.queue(instant(db, "C1"), "s1", "s2")
    slack_api.limit("chat.postMessage", retry_after)
    report = await world.drain()
    assert report.failed == 0
    rows = world.rows(ids)
    assert [row.state for row in rows] == ["pending", "pending"]
    assert all(row.next_attempt_at is not None for row in rows)
    assert max(row.next_attempt_at for row in rows) <= T0 + timedelta(hours=1)  # type: ignore[operator]
    slack_api.lift("chat.postMessage")
    world.now = T0 + timedelta(hours=1)
    await world.drain()
    assert world.posted_stories("C1") == ["s1", "s2"]
