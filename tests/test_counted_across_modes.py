"""A story only counted ("...and 3 more"), by a digest's notice or an instant pass's, is told once
across a channel's switches between digest and instant mode: a card, or a line in a digest's list.

A digest's count is no telling: switched to instant mode, a counted story that qualifies gets its
card (the count is not read as a listing). An instant pass's notice counts the stories beyond its
limit and gives them no card later unless they grow; but it lists none of them, so it must neither
settle a digest's count (the story listed first by the next digest) nor read, back in digest mode,
as a listing. Before, both did: a story counted by a digest and then by an instant notice, or by an
instant notice alone, was never told, its next digest saying it was "listed in an earlier digest".
Real SQLite file, the real service and its commands, the fake Slack adapter, a controlled clock."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fakes.clock import Clock
from fakes.runner import slack_service, stop
from fakes.stories import add_channel, add_story, grow_story

from bot.commands.base import CommandContext
from bot.runner import digests
from bot.runner.overflow import MAX_LISTED
from bot.runner.service import Service
from bot.store import channels as channel_store

T0 = datetime(2027, 5, 3, 9, 0, tzinfo=UTC)  # a Monday, the channel's 09:00 digest
CTX = CommandContext(platform="slack", channel_id="C1", user_id="U1", is_admin=True)
_SLUG = re.compile(r"story-([a-z]\d\d)\b")


def _told(service: Service) -> Counter[str]:
    """How often each story was told in the channel: its card, and each line giving it in a
    notice (a digest's list or its backlog's message; an instant notice only counts)."""
    told: Counter[str] = Counter(
        row[0] for row in service.db.execute("SELECT story_id FROM deliveries WHERE kind='story'")
    )
    for (text,) in service.db.execute("SELECT text FROM alerts"):
        for line in text.splitlines():
            if line.startswith("• "):
                told.update(_SLUG.findall(line))
    return told


def _counted_by_digest(service: Service) -> list[str]:
    return sorted(row[0] for row in service.db.execute("SELECT story_id FROM counted_stories"))


async def _switch(service: Service, mode: str) -> None:
    reply = await service.commands.dispatch("watchlist", f"mode {mode}", CTX)
    assert reply.text.startswith("Saved."), reply.text
    await service.outbox.drain()


async def test_a_story_only_counted_is_told_once_across_mode_switches(tmp_path: Path) -> None:
    clock = Clock(T0 - timedelta(hours=1))
    service, _chat = slack_service(tmp_path, clock)
    row = add_channel(service.db, "C1", min_sources=2)
    channel_store.update_channel(service.db, row.id, digest_size=1)
    await service.start()
    try:
        # The 09:00 digest: one card, MAX_LISTED lines, and 3 stories only counted.
        old = [f"d{i:02}" for i in range(1 + MAX_LISTED + 3)]
        for story_id in old:
            add_story(service.db, story_id, ["Gazette", "Courier"], now=T0 - timedelta(minutes=50))
        clock.now = T0 + timedelta(milliseconds=300)
        await service.run_digest(row.id, schedule=("0 9 * * *", "UTC"))
        await service.outbox.drain()
        counted = _counted_by_digest(service)
        assert len(counted) == 3
        assert all(_told(service)[s] == 0 for s in counted)
        # One counted story grows to the biggest; 50 newer ones of 3 outlets break.
        grow_story(service.db, counted[0], ["Herald", "Tribune"], now=T0 + timedelta(minutes=10))
        fresh = [f"n{i:02}" for i in range(digests.INSTANT_LIMIT)]
        for story_id in fresh:
            add_story(
                service.db,
                story_id,
                ["Gazette", "Courier", "Herald"],
                now=T0 + timedelta(minutes=20),
            )
        # Instant mode: 50 cards (the grown counted story's among them, its first telling) and a
        # notice counting the rest, the other two counted stories too.
        clock.now = T0 + timedelta(minutes=30)
        await _switch(service, "instant")
        told = _told(service)
        assert told[counted[0]] == 1
        assert told[counted[1]] == told[counted[2]] == 0
        [notice] = service.db.execute("SELECT text FROM alerts WHERE key LIKE 'instant-more:%'")
        assert notice[0].startswith("...and 3 more stories reached")
        # Back to digests: the next one lists what was only ever counted, the longest waiting
        # first, and nothing told before.
        clock.now = T0 + timedelta(hours=1)
        await _switch(service, "digest")
        clock.now = T0 + timedelta(days=1, milliseconds=300)
        await service.run_digest(row.id, schedule=("0 9 * * *", "UTC"))
        await service.outbox.drain()
        told = _told(service)
        assert {s: told[s] for s in old + fresh if told[s] != 1} == {}
    finally:
        await stop(service)


async def test_stories_an_instant_notice_counted_are_listed_by_a_later_digest(
    tmp_path: Path,
) -> None:
    """Counted by an instant notice, then the channel back in digest mode: its next digest, days
    later, lists them (their reports older than its window), as it lists a digest's own count."""
    clock = Clock(T0)
    service, _chat = slack_service(tmp_path, clock)
    row = add_channel(service.db, "C1", mode="instant", min_sources=2)
    stories = [f"i{i:02}" for i in range(digests.INSTANT_LIMIT + 2)]
    for story_id in stories:
        add_story(service.db, story_id, ["Gazette", "Courier"], now=T0 - timedelta(minutes=5))
    await service.start()  # its catch-up: 50 cards and a notice counting 2
    try:
        await service.outbox.drain()
        told = _told(service)
        left_out = [s for s in stories if told[s] == 0]
        assert len(left_out) == 2
        clock.now = T0 + timedelta(hours=1)
        await _switch(service, "digest")
        clock.now = T0 + timedelta(days=3, milliseconds=300)
        await service.run_digest(row.id, schedule=("0 9 * * *", "UTC"))
        await service.outbox.drain()
        told = _told(service)
        assert {s: told[s] for s in stories if told[s] != 1} == {}
        # Listed once, not again by the digest after.
        clock.now = T0 + timedelta(days=4, milliseconds=300)
        await service.run_digest(row.id, schedule=("0 9 * * *", "UTC"))
        await service.outbox.drain()
        assert _told(service) == told
    finally:
        await stop(service)
