"""A channel resumed outside the running service (`newsdigest channels resume`, or a config sync by
`newsdigest poll` after its webhook_url changed) gets what its pause held back, as a /watchlist
resume does: the service's job sync sees the pause lifted and queues the instant stories that
qualified meanwhile, within instant mode's limit, once, however the resume and the job syncs
interleave. Simulated clock; real SQLite shared by the service and the CLI; the fake chat
adapter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.runner import start_slack_service
from fakes.stories import add_story

from bot.app import PassReport
from bot.cli import cli
from bot.commands.base import CommandContext
from bot.config import ChannelConfig
from bot.delivery.adapter import PermanentDeliveryError
from bot.pipeline.poll import PollReport
from bot.runner.changes import resumed_caught_up
from bot.runner.service import Service
from bot.store import channels as channel_store

T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)


async def start_service(tmp_path: Path, clock: Clock) -> tuple[Service, FakeChatAdapter]:
    channel = ChannelConfig(platform="slack", id="C3", mode="instant", min_sources=1)
    return await start_slack_service(tmp_path, clock, channel)


async def paused_by_the_outbox(service: Service, chat: FakeChatAdapter) -> None:
    """The first story's post refused: the outbox pauses the channel, the post held."""
    add_story(service.db, "first", ["A", "B"], now=T0)
    chat.failures = [PermanentDeliveryError("Slack chat.postMessage: not_in_channel")]
    await service.on_poll_pass(PassReport(poll=PollReport(), touched_stories={"first"}))
    await service.outbox.drain()
    channel = channel_store.get_channel(service.db, "slack", "C3")
    assert channel is not None and channel.paused_reason


async def sixty_stories_during_the_pause(service: Service, clock: Clock) -> list[str]:
    clock.now = T0 + timedelta(minutes=30)
    fresh = [f"s{i:02d}" for i in range(60)]
    for story_id in fresh:
        add_story(service.db, story_id, ["A", "B"], now=clock.now)
    await service.on_poll_pass(PassReport(poll=PollReport(), touched_stories=set(fresh)))
    return fresh


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    monkeypatch.chdir(tmp_path)
    return CliRunner()


@pytest.mark.parametrize("synced_during_the_pause", [False, True])
async def test_a_cli_resume_is_caught_up_by_the_running_service(
    tmp_path: Path, runner: CliRunner, synced_during_the_pause: bool
) -> None:
    clock = Clock(T0)
    service, chat = await start_service(tmp_path, clock)
    try:
        await paused_by_the_outbox(service, chat)
        if synced_during_the_pause:
            service.sync_jobs()  # the minute's job sync saw the channel paused
        fresh = await sixty_stories_during_the_pause(service, clock)
        await service.outbox.drain()
        assert chat.cards() == []  # paused: nothing queued, nothing sent

        resumed = runner.invoke(cli, ["channels", "resume", "slack:C3"])
        assert resumed.exit_code == 0, resumed.output
        assert resumed.stdout.startswith("Resumed slack:C3, paused since ")
        clock.now = T0 + timedelta(minutes=31)
        service.sync_jobs()  # the next minute's job sync
        service.sync_jobs()  # and the one after: nothing twice
        await resumed_caught_up(service)  # chosen off the loop, as the minute's job waits
        await service.outbox.drain()
    finally:
        await service.stop()
        service.core.close()
    first, *posted = [m.story_id for m in chat.cards()]
    # The post the pause held, then instant mode's fifty of the sixty, once.
    assert first == "first" and len(posted) == 50 and set(posted) < set(fresh)
    [notice] = chat.texts()
    assert notice.text.startswith("...and 10 more stories reached this channel's minimum")


async def test_a_chat_resume_after_a_job_sync_saw_the_pause_queues_once(tmp_path: Path) -> None:
    clock = Clock(T0)
    service, chat = await start_service(tmp_path, clock)
    try:
        await paused_by_the_outbox(service, chat)
        service.sync_jobs()
        fresh = await sixty_stories_during_the_pause(service, clock)
        ctx = CommandContext(platform="slack", channel_id="C3", user_id="U1")
        reply = await service.commands.dispatch("watchlist", "resume", ctx)
        assert reply.text.startswith("Saved.")
        await service.outbox.drain()
    finally:
        await service.stop()
        service.core.close()
    first, *posted = [m.story_id for m in chat.cards()]
    assert first == "first" and len(posted) == 50 and set(posted) < set(fresh)
    assert len(chat.texts()) == 1
