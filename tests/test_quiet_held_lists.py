"""What counts as a digest held for a channel's quiet hours (`quiet_holds.held_digest`): one
queued in them, its cards or its list alone. A `/digest` of no new card for a channel behind
queues only a list, which held no card, so a second `/digest` in the same quiet hours queued a
second list. A card queued before the quiet hours (still retrying) is no digest held for them: it
kept the scheduled digest back, logged as held for the quiet hours. Real database files, the real
service, a fixed clock."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fakes.clock import Clock
from fakes.runner import slack_service, start_slack_service, stop
from fakes.stories import add_story
from test_overflow_backlog import MONDAY, _stories
from test_quiet_digest_held import CTX, MORNING, add_six, setup_channel

from bot.commands.base import CommandContext
from bot.config import ChannelConfig
from bot.pipeline.digest import queued_story_count
from bot.runner import digests
from bot.runner.overflow import MAX_LISTED
from bot.runner.service import Service
from bot.store import channels as channel_store
from bot.store import digest_runs


def _lists(service: Service) -> int:
    return int(
        service.db.execute(
            "SELECT COUNT(*) FROM alerts WHERE key LIKE 'digest-more:%' AND state = 'pending'"
        ).fetchone()[0]
    )


async def test_a_list_held_for_the_quiet_hours_is_the_channels_one_digest(tmp_path: Path) -> None:
    clock = Clock(MONDAY)
    channel_config = ChannelConfig(
        platform="slack",
        id="C1",
        schedule="0 9 * * 1",
        digest_size=1,
        quiet_hours="08:00-10:00",
    )
    service, _chat = await start_slack_service(tmp_path, clock, channel_config)
    try:
        # Last week's digest counted 40 stories, none updated since: the channel is behind.
        _stories(service.db, "a", 1 + MAX_LISTED + 40, now=MONDAY - timedelta(days=1))
        channel = channel_store.find_channel(service.db, "slack:C1")
        assert channel is not None
        digests.enqueue_digest(service.db, channel, now=MONDAY, scheduled_for=MONDAY)
        service.db.execute("UPDATE alerts SET state = 'sent'")
        service.db.execute("UPDATE deliveries SET state = 'sent'")
        service.db.conn.commit()
        clock.now = MONDAY + timedelta(days=3)  # Thursday 09:00, in the quiet hours
        ctx = CommandContext(platform="slack", channel_id="C1", user_id="U1")
        first = await service.commands.dispatch("digest", "", ctx)
        assert first.text.startswith("No new card for this channel; ")
        assert _lists(service) == 1
        clock.now += timedelta(minutes=5)
        second = await service.commands.dispatch("digest", "", ctx)
        assert second.text == (
            "A list of the stories still waiting for a line is already queued for this channel "
            "and will be posted at 10:00 UTC when its quiet hours (08:00-10:00) end. Anything "
            "newer goes in the digest after it."
        )
        assert _lists(service) == 1
    finally:
        await stop(service)


async def test_a_card_queued_before_the_quiet_hours_does_not_hold_back_the_scheduled_digest(
    tmp_path: Path,
) -> None:
    clock = Clock(MORNING.replace(hour=7, minute=50))
    service, _chat = slack_service(tmp_path, clock)
    await service.start()
    try:
        await setup_channel(service, "08:00-10:00")
        add_six(service, clock.now)
        # Queued before the quiet hours and not sent (a retry, an outage): no digest of them.
        reply = await service.commands.dispatch("digest", "", CTX)
        assert reply.text.startswith("Posting 3 stories")
        channel = channel_store.get_channel(service.db, "slack", "C5")
        assert channel is not None
        clock.now = MORNING.replace(hour=9, minute=0)
        for name in ("gorse", "hazel", "ivy"):
            add_story(
                service.db, name, ["Gazette", "Courier"], now=clock.now - timedelta(minutes=5)
            )
        await service.run_digest(channel.id, schedule=("0 9 * * *", "UTC"))
        assert digest_runs.last_digest_ran_at(service.db, channel.id) == clock.now
        assert queued_story_count(service.db, channel.id) == 6
        # The digest queued in the quiet hours holds the next one back, as before.
        held = await service.commands.dispatch("digest", "", CTX)
        assert held.text.startswith("3 stories are already queued for this channel")
        assert queued_story_count(service.db, channel.id) == 6
    finally:
        await stop(service)
