"""A scheduled slot skipped because a digest is already held for the channel's quiet hours is
covered by that digest: a restart after the quiet hours does not catch it up as missed. Before,
the skip recorded no run, so a restart at 10:30 posted a second digest carding the stories the
held one's list had just said had no card (and a day without a restart had none). Real database
files, the real service and outbox, a fixed clock, the fake chat adapter."""

from __future__ import annotations

from pathlib import Path

from fakes.clock import Clock
from fakes.runner import slack_service, stop
from test_quiet_digest_held import CTX, MORNING, add_six, carded, listed, setup_channel

from bot.store import channels as channel_store
from bot.store import digest_runs


async def _nine_oclock_then_restart(tmp_path: Path, *, slash_digest: bool) -> set[str]:
    """Quiet 08:00-10:00, daily 09:00, 3 cards: the 09:00 job, the held posts sent at 10:01, a
    restart at 10:30. What the restart cards."""
    clock = Clock(MORNING)
    service, chat = slack_service(tmp_path, clock)
    await service.start()
    await setup_channel(service, "08:00-10:00")
    add_six(service, MORNING)
    if slash_digest:
        first = await service.commands.dispatch("digest", "", CTX)
        assert first.text.startswith("Queued 3 stories for this channel.")
    channel = channel_store.get_channel(service.db, "slack", "C5")
    assert channel is not None
    clock.now = MORNING.replace(hour=9, minute=0)
    await service.run_digest(channel.id, schedule=("0 9 * * *", "UTC"))
    assert digest_runs.last_digest_run(service.db, channel.id) == clock.now
    clock.now = MORNING.replace(hour=10, minute=1)
    await service.outbox.drain()
    assert len(carded(chat)) == 3
    if slash_digest:
        assert len(listed(chat)) == 3
    await stop(service)
    clock.now = MORNING.replace(hour=10, minute=30)
    again, chat2 = slack_service(tmp_path, clock)
    await again.start()
    try:
        await again.outbox.drain()
        return carded(chat2)
    finally:
        await stop(again)


async def test_a_restart_after_the_quiet_hours_does_not_catch_up_the_slot_a_digest_held(
    tmp_path: Path,
) -> None:
    assert await _nine_oclock_then_restart(tmp_path, slash_digest=True) == set()


async def test_a_scheduled_digest_held_alone_is_not_caught_up_either(tmp_path: Path) -> None:
    assert await _nine_oclock_then_restart(tmp_path, slash_digest=False) == set()
