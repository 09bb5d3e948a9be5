"""A digest held for a channel's quiet hours is its one digest until they end: a second `/digest`
meanwhile says the stories are already queued and queues nothing (docs/CHAT.md), and so does a
scheduled digest falling in the same quiet hours. Before, each queued a digest more, and all of
them went out at the end under one heading, twice the channel's digest size; the second took the
first one's listed stories as cards, so its notice, sent after them, listed as "without a card in
this digest" stories carded just above it. A notice not sent yet for another reason (a failure
it retries) keeps its stories from a later digest's cards too. Real database files, the real
service and outbox, a fixed clock, the fake chat adapter."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.runner import slack_service, stop
from fakes.stories import add_story

from bot.commands.base import CommandContext
from bot.delivery.adapter import TransientDeliveryError
from bot.pipeline.digest import queued_story_count
from bot.runner.service import Service
from bot.store import channels as channel_store
from bot.store.database import transaction

NIGHT = datetime(2027, 3, 8, 23, 0, tzinfo=UTC)  # a Monday, in 22:00-07:00
MORNING = datetime(2027, 3, 9, 8, 30, tzinfo=UTC)  # in 08:00-10:00, before the 09:00 digest
CTX = CommandContext(platform="slack", channel_id="C5", user_id="U1")
# Six stories of two outlets each (the channel's minimum), the first the newest.
NAMES = ["alder", "birch", "cedar", "damson", "elm", "fir"]
# The next digest after a notice failed, while it is still to be retried: its backoff is 30 s,
# jittered by 20% (`Outbox.backoff`). Not later: the started service's outbox loop sends a notice
# once its retry is due, as soon as a real 50 ms pass while the command runs (a loaded machine).
BEFORE_RETRY = NIGHT + timedelta(seconds=10)


def add_six(service: Service, now: datetime) -> None:
    for i, name in enumerate(NAMES):
        add_story(service.db, name, ["Gazette", "Courier"], now=now - timedelta(minutes=10 + i))


def carded(chat: FakeChatAdapter) -> set[str]:
    return {m.story_id for m in chat.cards("C5") if m.story_id}


def listed(chat: FakeChatAdapter) -> set[str]:
    """The stories the digests' notices list, by their headlines ("Story alder")."""
    notices = [m.text for m in chat.texts() if m.text.startswith("Also matching")]
    return {name for text in notices for name in re.findall(r"Story (\w+)", text)}


async def setup_channel(service: Service, quiet: str) -> None:
    for setting in (f"quiet {quiet}", "digest-size 3"):
        reply = await service.commands.dispatch("watchlist", setting, CTX)
        assert reply.text.startswith("Saved."), reply.text


async def test_a_second_digest_in_quiet_hours_queues_nothing_and_the_list_holds(
    tmp_path: Path,
) -> None:
    clock = Clock(NIGHT)
    service, _chat = slack_service(tmp_path, clock)
    await service.start()
    await setup_channel(service, "22:00-07:00")
    add_six(service, NIGHT)
    first = await service.commands.dispatch("digest", "", CTX)
    assert first.text.startswith("Queued 3 stories for this channel.")
    await service.outbox.drain()
    clock.now = NIGHT + timedelta(minutes=5)
    second = await service.commands.dispatch("digest", "", CTX)
    assert second.text == (
        "3 stories are already queued for this channel and will be posted at 07:00 UTC when "
        "its quiet hours (22:00-07:00) end. Anything newer goes in the digest after them."
    )
    channel = channel_store.get_channel(service.db, "slack", "C5")
    assert channel is not None and queued_story_count(service.db, channel.id) == 3
    # Held over a restart, then let go.
    await stop(service)
    clock.now = NIGHT + timedelta(minutes=10)
    again, chat = slack_service(tmp_path, clock)
    await again.start()
    try:
        await again.outbox.drain()
        assert chat.messages == []
        reply = await again.commands.dispatch("watchlist", "quiet off", CTX)
        assert reply.text.startswith("Saved.")
        await again.outbox.drain()
        assert len(carded(chat)) == 3
        assert listed(chat) == set(NAMES) - carded(chat)
    finally:
        await stop(again)


async def test_the_scheduled_digest_in_the_same_quiet_hours_queues_nothing_more(
    tmp_path: Path,
) -> None:
    clock = Clock(MORNING)
    service, chat = slack_service(tmp_path, clock)
    await service.start()
    try:
        await setup_channel(service, "08:00-10:00")
        add_six(service, MORNING)
        first = await service.commands.dispatch("digest", "", CTX)
        assert first.text.startswith("Queued 3 stories for this channel.")
        channel = channel_store.get_channel(service.db, "slack", "C5")
        assert channel is not None and channel.schedule == "0 9 * * *"
        clock.now = MORNING.replace(hour=9)
        await service.run_digest(channel.id, schedule=("0 9 * * *", "UTC"))
        assert queued_story_count(service.db, channel.id) == 3
        clock.now = MORNING.replace(hour=10, minute=1)
        await service.outbox.drain()
        assert len(carded(chat)) == 3
        assert listed(chat) == set(NAMES) - carded(chat)
    finally:
        await stop(service)


async def test_a_notice_not_sent_yet_keeps_its_stories_from_the_next_digests_cards(
    tmp_path: Path,
) -> None:
    clock = Clock(NIGHT)
    service, chat = slack_service(tmp_path, clock)
    await service.start()
    try:
        await setup_channel(service, "off")
        add_six(service, NIGHT)
        # The three cards land; the list after them fails, to be tried again.
        chat.failures = [None, None, None, TransientDeliveryError("timed out")]
        first = await service.commands.dispatch("digest", "", CTX)
        assert first.text.startswith("Posting 3 stories")
        await service.outbox.drain()
        assert len(carded(chat)) == 3 and listed(chat) == set()
        clock.now = BEFORE_RETRY
        await service.commands.dispatch("digest", "", CTX)
        clock.now = NIGHT + timedelta(hours=1)
        await service.outbox.drain()
        # The list went out at last, and none of its stories has a card.
        assert listed(chat) == set(NAMES) - carded(chat)
        assert len(carded(chat)) == 3
    finally:
        await stop(service)


async def test_a_listed_story_merged_since_keeps_its_survivor_from_the_next_digests_cards(
    tmp_path: Path,
) -> None:
    clock = Clock(NIGHT)
    service, chat = slack_service(tmp_path, clock)
    await service.start()
    try:
        await setup_channel(service, "off")
        add_six(service, NIGHT)
        chat.failures = [None, None, None, TransientDeliveryError("timed out")]
        await service.commands.dispatch("digest", "", CTX)
        await service.outbox.drain()
        assert len(carded(chat)) == 3 and listed(chat) == set()
        absorbed = sorted(set(NAMES) - carded(chat))[0]
        # The clusterer merges a listed story into a new one, of more outlets.
        clock.now = BEFORE_RETRY
        add_story(service.db, "grove", ["Herald", "Tribune", "Post"], now=clock.now)
        with transaction(service.db):
            service.db.execute(
                "UPDATE articles SET story_id = 'grove' WHERE story_id = ?", [absorbed]
            )
            service.db.execute("UPDATE stories SET merged_into = 'grove' WHERE id = ?", [absorbed])
        await service.commands.dispatch("digest", "", CTX)
        clock.now = NIGHT + timedelta(hours=1)
        await service.outbox.drain()
        # The list naming the absorbed story went out, and its news had no card above it.
        assert absorbed in listed(chat)
        assert "grove" not in carded(chat)
    finally:
        await stop(service)
