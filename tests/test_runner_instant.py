"""Instant channels in the running service: a poll pass queues the stories it makes qualify, at
most fifty with a notice for the rest, and a setting changed in chat that lets more stories
through queues those that already qualify. Fixed clock; real SQLite; the fake chat adapter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fakes.chat import FakeChatAdapter
from fakes.stories import add_story, grow_story

from bot.app import NewsDigest, PassReport
from bot.commands.base import CommandContext
from bot.config import ChannelConfig, Config
from bot.pipeline.poll import PollReport
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.database import open_database

T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)
CTX = CommandContext(platform="slack", channel_id="C3", user_id="U1")


def make_service(tmp_path: Path, channel: ChannelConfig) -> tuple[Service, FakeChatAdapter]:
    config = Config(database=str(tmp_path / "nd.db"), channels=[channel])
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=None, post_pace=0)
    service = Service(config, core=core, settings=settings, clock=lambda: T0, env={})
    chat = FakeChatAdapter("slack")
    service.register_adapter(chat)
    return service, chat


def queued_stories(service: Service) -> int:
    row = service.db.execute("SELECT COUNT(*) FROM deliveries WHERE kind = 'story'").fetchone()
    return int(row[0])


async def test_lowering_min_sources_posts_a_story_that_already_qualifies(tmp_path: Path) -> None:
    channel = ChannelConfig(platform="slack", id="C3", mode="instant", min_sources=3)
    service, chat = make_service(tmp_path, channel)
    await service.start()
    add_story(service.db, "s1", ["A", "B"], now=T0)
    await service.on_poll_pass(PassReport(poll=PollReport(), touched_stories={"s1"}))
    assert queued_stories(service) == 0  # two sources, the channel wants three
    reply = await service.commands.dispatch("watchlist", "min-sources 2", CTX)
    await service.outbox.drain()
    await service.stop()
    service.core.close()
    assert reply.text.startswith("Saved.")
    # s1 is not touched by any later pass: the change itself must queue it.
    assert [m.story_id for m in chat.cards()] == ["s1"]


async def test_switching_to_instant_posts_stories_that_already_qualify(tmp_path: Path) -> None:
    channel = ChannelConfig(platform="slack", id="C3", mode="digest", min_sources=2)
    service, chat = make_service(tmp_path, channel)
    await service.start()
    add_story(service.db, "s1", ["A", "B"], now=T0)
    add_story(service.db, "s2", ["A"], now=T0)
    await service.on_poll_pass(PassReport(poll=PollReport(), touched_stories={"s1", "s2"}))
    await service.commands.dispatch("watchlist", "mode instant", CTX)
    await service.outbox.drain()
    # Raising the bar afterwards queues nothing more.
    await service.commands.dispatch("watchlist", "min-sources 3", CTX)
    await service.stop()
    service.core.close()
    assert [m.story_id for m in chat.cards()] == ["s1"]


async def test_a_big_poll_pass_queues_fifty_and_announces_the_rest(tmp_path: Path) -> None:
    """A poll pass that makes many stories qualify at once (many feeds added by an OPML import or
    /feeds add) is capped as the catch-up is, the rest announced rather than posted."""
    channel = ChannelConfig(platform="slack", id="C3", mode="instant", min_sources=1)
    service, chat = make_service(tmp_path, channel)
    await service.start()
    touched = {f"s{i:02d}" for i in range(80)}
    for story_id in touched:
        add_story(service.db, story_id, ["A", "B"], now=T0)
    await service.on_poll_pass(PassReport(poll=PollReport(), touched_stories=touched))
    after_pass = queued_stories(service)
    # The next pass touches none of them: nothing more is queued.
    await service.on_poll_pass(PassReport(poll=PollReport(), touched_stories={"other"}))
    after_next = queued_stories(service)
    await service.outbox.drain()
    await service.stop()
    service.core.close()
    assert after_pass == after_next == 50
    [note] = chat.texts()
    assert note.text == (
        "...and 30 more stories reached this channel's minimum number of sources, more than it "
        "is sent at once. /story <words> finds any of them; /watchlist mode digest switches the "
        "channel to digests on its schedule."
    )
    assert chat.messages[-1] is note


async def test_start_up_catch_up_announces_the_stories_it_had_no_room_for(
    tmp_path: Path,
) -> None:
    channel = ChannelConfig(platform="slack", id="C3", mode="instant", min_sources=1)
    service, _chat = make_service(tmp_path, channel)
    for i in range(80):  # qualified while the bot was down
        add_story(service.db, f"s{i:02d}", ["A", "B"], now=T0)
    await service.start()
    queued = queued_stories(service)
    notices = [r[0] for r in service.db.execute("SELECT text FROM alerts")]
    await service.stop()
    service.core.close()
    assert queued == 50
    (notice,) = notices
    assert "30 more stories" in notice


async def test_a_story_that_reaches_the_bar_with_a_fresh_report_is_news(tmp_path: Path) -> None:
    """The window is on the newest report, not the first: a story one outlet broke ten hours ago
    that a second outlet reports now has just reached the channel's bar, and is posted."""
    channel = ChannelConfig(platform="slack", id="C3", mode="instant", min_sources=2)
    service, chat = make_service(tmp_path, channel)
    await service.start()
    add_story(service.db, "slow", ["A"], now=T0 - timedelta(hours=10))
    grow_story(service.db, "slow", ["B"], now=T0)
    await service.on_poll_pass(PassReport(poll=PollReport(), touched_stories={"slow"}))
    await service.outbox.drain()
    await service.stop()
    service.core.close()
    assert [m.story_id for m in chat.cards()] == ["slow"]
