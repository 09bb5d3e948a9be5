"""The console's digest heading counts the cards printed under it, not the rows queued for the
digest: a story muted, gone or no longer wanted after the digest was queued is dropped before
the heading is shown. And the heading ends with its drain: a channel switched to instant gets
its next card labelled "new story", not tucked under a digest heading from earlier."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import sqlite_utils
from fakes.stories import add_channel, add_story, make_card_source

from bot.adapters.console import ConsoleAdapter
from bot.cards import StoryCard
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store.channels import ChannelRow

NOON = datetime(2027, 5, 4, 12, 0, tzinfo=UTC)
HEADING = "News digest · #desk · 2027-05-04 12:00 UTC"


def _queue_digest(db: sqlite_utils.Database, *stories: str) -> ChannelRow:
    channel = add_channel(db, "desk", platform="console", mode="digest")
    for story in stories:
        add_story(db, story, ["Gazette", "Courier"], now=NOON - timedelta(hours=1))
    assert digests.enqueue_digest(db, channel, now=NOON, scheduled_for=NOON) == len(stories)
    return channel


def _outbox(db: sqlite_utils.Database, out: io.StringIO) -> Outbox:
    outbox = Outbox(
        db, make_card_source(db, NOON), settings=OutboxSettings(pace=0), clock=lambda: NOON
    )
    outbox.register(ConsoleAdapter(file=out, width=120))
    return outbox


def _cards(printed: str) -> int:
    return printed.count("╭")  # one rounded box per card


def _mute(db: sqlite_utils.Database, channel: ChannelRow) -> None:
    channel_store.mute_story(db, channel.id, "locks")


def _merge_into_a_posted_story(db: sqlite_utils.Database, channel: ChannelRow) -> None:
    # Clustering merged it into "quay", whose card the channel is about to get anyway.
    db.execute("UPDATE stories SET merged_into = 'quay' WHERE id = 'locks'")


def _raise_min_sources(db: sqlite_utils.Database, channel: ChannelRow) -> None:
    db.execute("UPDATE stories SET source_count = 1 WHERE id = 'locks'")
    channel_store.update_channel(db, channel.id, min_sources=2)


@pytest.mark.parametrize(
    "drop",
    [_mute, _merge_into_a_posted_story, _raise_min_sources],
    ids=["muted", "merged", "no-longer-wanted"],
)
async def test_the_heading_counts_the_cards_that_print(
    db: sqlite_utils.Database, drop: Callable[[sqlite_utils.Database, ChannelRow], None]
) -> None:
    channel = _queue_digest(db, "locks", "quay", "ferry")
    drop(db, channel)  # after the digest was queued, before it goes out
    out = io.StringIO()
    assert (await _outbox(db, out).drain()).sent == 2
    printed = out.getvalue()
    assert f"{HEADING} · 2 stories" in printed
    assert "3 stories" not in printed
    assert _cards(printed) == 2 and "new story" not in printed


@pytest.mark.parametrize("trouble", ["gone", "unbuildable"])
async def test_a_card_that_cannot_be_had_is_not_counted(
    db: sqlite_utils.Database, trouble: str
) -> None:
    _queue_digest(db, "locks", "quay")
    cards = make_card_source(db, NOON)

    def source(story_id: str, channel: ChannelRow) -> StoryCard | None:
        if story_id == "locks" and trouble == "gone":
            return None  # the story no longer exists
        if story_id == "locks":
            raise RuntimeError("summary service down")
        return cards(story_id, channel)  # type: ignore[no-any-return]

    out = io.StringIO()
    outbox = Outbox(db, source, settings=OutboxSettings(pace=0), clock=lambda: NOON)
    outbox.register(ConsoleAdapter(file=out, width=120))
    report = await outbox.drain()
    assert report.sent == 1
    assert report.retried == (trouble == "unbuildable")  # an unbuilt card waits for its retry
    assert f"{HEADING} · 1 story" in out.getvalue() and _cards(out.getvalue()) == 1


async def test_a_digest_with_every_story_dropped_prints_no_heading(
    db: sqlite_utils.Database,
) -> None:
    channel = _queue_digest(db, "locks")
    _mute(db, channel)
    out = io.StringIO()
    assert (await _outbox(db, out).drain()).sent == 0
    assert out.getvalue() == ""


async def test_after_a_switch_to_instant_the_next_card_is_a_new_story(
    db: sqlite_utils.Database,
) -> None:
    channel = _queue_digest(db, "locks", "quay", "ferry")
    _mute(db, channel)
    out = io.StringIO()
    outbox = _outbox(db, out)
    assert (await outbox.drain()).sent == 2
    channel_store.update_channel(db, channel.id, mode="instant")
    add_story(db, "tunnel", ["Gazette", "Courier"], now=NOON)
    delivery_store.enqueue_story(db, "tunnel", channel.id, now=NOON)
    out.seek(0)
    out.truncate()
    assert (await outbox.drain()).sent == 1
    printed = out.getvalue()
    assert printed.startswith("#desk · new story\n")
    assert "News digest" not in printed and "Story tunnel" in printed


async def test_each_digest_gets_its_own_heading(db: sqlite_utils.Database) -> None:
    channel = _queue_digest(db, "locks", "quay")
    out = io.StringIO()
    outbox = _outbox(db, out)
    assert (await outbox.drain()).sent == 2
    later = NOON + timedelta(days=1)
    add_story(db, "tunnel", ["Gazette", "Courier"], now=later - timedelta(hours=1))
    assert digests.enqueue_digest(db, channel, now=later, scheduled_for=later) == 1
    outbox.clock = lambda: later
    assert (await outbox.drain()).sent == 1
    printed = out.getvalue()
    assert f"{HEADING} · 2 stories" in printed
    assert "News digest · #desk · 2027-05-05 12:00 UTC · 1 story" in printed
    assert "new story" not in printed


async def test_quiet_hours_beginning_mid_digest_leave_settled_rows_settled(
    db: sqlite_utils.Database,
) -> None:
    # The digest's rows are prepared before its heading, so a muted one is settled (failed)
    # before the first card goes out; quiet hours that begin right after that card hold the
    # rest, and must not bring the muted one back to pending.
    channel = add_channel(db, "desk", platform="console", mode="digest", quiet_hours="12:01-13:00")
    for story in ("ferry", "quay", "locks"):
        add_story(db, story, ["Gazette", "Courier"], now=NOON - timedelta(hours=1))
    assert digests.enqueue_digest(db, channel, now=NOON, scheduled_for=NOON) == 3
    channel_store.mute_story(db, channel.id, "locks")
    clock = {"now": NOON}
    outbox = Outbox(
        db,
        make_card_source(db, NOON),
        settings=OutboxSettings(pace=0),
        clock=lambda: clock["now"],
    )
    console = ConsoleAdapter(file=io.StringIO(), width=120)
    post_card = console.post_card

    async def post_then_quiet(ch: ChannelRow, card: StoryCard, *, nonce: str) -> object:
        posted = await post_card(ch, card, nonce=nonce)
        clock["now"] = NOON + timedelta(minutes=2)
        return posted

    console.post_card = post_then_quiet  # type: ignore[method-assign,assignment]
    outbox.register(console)
    await outbox.drain()
    states = dict(db.execute("SELECT story_id, state FROM deliveries").fetchall())
    assert states["locks"] == "failed"
    assert sorted(states.values()) == ["failed", "pending", "sent"]
