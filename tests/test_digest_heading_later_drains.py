"""A digest heading whose cards will not all show is settled by whichever drain finds it so, not
only by the drain that posted it: cards held back past that drain by a 429 and then returned to
the digest pool by a switch to instant mode and back (the switch's reply says they wait for the
next digest), or given up (a failed card never shows). "4 stories" over one card is deleted (a
digest of one card has no heading), over two it is edited to "2 stories"; a newer digest's
heading is the only one settled. Real outbox and Slack adapter against the fake Web API, on a
real SQLite file."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import sqlite_utils
from fakes.slack_api import FakeSlackAPI
from fakes.slack_outbox import RATE_LIMITED, T0, WAIT, SlackOutbox
from fakes.stories import add_channel, make_card_source

from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store import digest_headings
from bot.store.channels import ChannelRow
from bot.store.database import transaction
from bot.store.queued_posts import return_to_digest_pool

REFUSED = {"ok": False, "error": "invalid_blocks"}


def _instant_and_back(db: sqlite_utils.Database, channel: ChannelRow) -> None:
    """`/watchlist mode instant`, then `/watchlist mode digest`, as the command writes them."""
    channel_store.update_channel(db, channel.id, mode="instant")
    with transaction(db):
        channel_store.update_channel(db, channel.id, mode="digest")
        return_to_digest_pool(db, channel.id)


def _shown(fake: FakeSlackAPI) -> list[str]:
    """The channel as it reads now: a heading by its count, a card by its story."""
    out = []
    for m in fake.messages["C1"]:
        if "metadata" in m:
            out.append(m["metadata"]["event_payload"]["story_id"])
        else:
            assert m["text"].startswith("News digest"), m["text"]
            out.append(m["text"].rsplit(" · ", 1)[1])
    return out


def _world(db: sqlite_utils.Database, fake: FakeSlackAPI) -> SlackOutbox:
    return SlackOutbox(db, fake, make_card_source(db, T0), sleep=asyncio.sleep)


async def _held_after(world: SlackOutbox, fake: FakeSlackAPI, sent: int) -> None:
    """The heading and `sent` cards go out; then Slack rate-limits the channel's posts."""
    for _ in range(1 + sent):
        fake.script_usual("chat.postMessage")
    fake.script("chat.postMessage", **RATE_LIMITED, headers={"Retry-After": str(WAIT)})
    await world.drain()


async def test_cards_held_then_returned_to_the_pool_leave_no_heading_over_one_card(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world = _world(db, slack_api)
    channel = add_channel(db, "C1", mode="digest")
    world.queue(channel, "quay", "locks", "ferry", "tram")
    await _held_after(world, slack_api, sent=1)
    assert _shown(slack_api) == ["4 stories", "quay"]
    _instant_and_back(db, channel)
    world.now = T0 + timedelta(minutes=5)
    await world.drain()
    assert _shown(slack_api) == ["quay"]
    # Settled once: a later drain has nothing to do with it.
    deletes = len(slack_api.calls_to("chat.delete"))
    await world.drain()
    assert len(slack_api.calls_to("chat.delete")) == deletes == 1


async def test_cards_held_then_returned_leave_the_heading_counting_those_shown(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world = _world(db, slack_api)
    channel = add_channel(db, "C1", mode="digest")
    world.queue(channel, "quay", "locks", "ferry", "tram", "pier")
    await _held_after(world, slack_api, sent=2)
    _instant_and_back(db, channel)
    world.now = T0 + timedelta(minutes=5)
    await world.drain()
    assert _shown(slack_api) == ["2 stories", "quay", "locks"]
    # The edit keeps the digest's time the heading gave.
    [update] = slack_api.calls_to("chat.update")
    assert "09:00 UTC" in update["text"]


async def test_a_card_given_up_is_not_counted(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world = _world(db, slack_api)
    channel = add_channel(db, "C1", mode="digest")
    [_, _, last] = world.queue(channel, "quay", "locks", "ferry")
    for _ in range(3):
        slack_api.script_usual("chat.postMessage")
    slack_api.script("chat.postMessage", body=REFUSED)  # ferry's payload, every try
    await world.drain()
    while world.row(last).state == "pending":
        world.now = world.row(last).next_attempt_at or world.now
        slack_api.script("chat.postMessage", body=REFUSED)
        await world.drain()
    assert world.row(last).state == "failed"
    assert _shown(slack_api) == ["2 stories", "quay", "locks"]


async def test_only_the_newest_heading_is_settled(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world = _world(db, slack_api)
    channel = add_channel(db, "C1", mode="digest")
    world.queue(channel, "quay", "locks", "ferry")
    await _held_after(world, slack_api, sent=2)  # ferry held
    # The next digest goes out with ferry: a heading of its own over the three.
    world.now = T0 + timedelta(hours=12)
    [tram, pier] = world.queue(channel, "tram", "pier")
    slack_api.script_usual("chat.postMessage")  # the heading
    slack_api.script_usual("chat.postMessage")  # ferry
    slack_api.script("chat.postMessage", **RATE_LIMITED, headers={"Retry-After": str(WAIT)})
    await world.drain()
    assert _shown(slack_api) == ["3 stories", "quay", "locks", "3 stories", "ferry"]
    store.delete(db, pier)  # its story gone while it waited
    world.now += timedelta(minutes=5)
    await world.drain()
    assert world.row(tram).state == "sent"
    assert _shown(slack_api) == ["3 stories", "quay", "locks", "2 stories", "ferry", "tram"]


def test_a_heading_an_older_version_recorded_counts_its_rows_as_shown(
    db: sqlite_utils.Database,
) -> None:
    channel = add_channel(db, "C1", mode="digest")
    db.execute("ALTER TABLE digest_headings DROP COLUMN shown")
    db.execute(
        "INSERT INTO digest_headings (channel_pk, rows, posted_at, message_ref)"
        " VALUES (?, ?, ?, '1.5')",
        [channel.id, json.dumps(["n1", "n2", "n3"]), T0.isoformat()],
    )
    digest_headings.add_shown_count(db)
    assert digest_headings.unsettled(db) == []
    db.execute("UPDATE digest_headings SET rows = ?", [json.dumps(["n1", "n2"])])
    [heading] = digest_headings.unsettled(db)
    assert (heading.shown, heading.left, heading.digest_at) == (3, 2, T0)
