"""The running service: jobs rebuilt without duplicates on restart, one catch-up digest after
downtime, /digest through the outbox, updates after a poll pass, /healthz. Fixed clocks; the
scheduler runs but no test waits for it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from fakes.chat import FakeChatAdapter
from fakes.runner import stop
from fakes.stories import add_story, grow_story

from bot.app import NewsDigest, PassReport
from bot.commands.core import CommandContext
from bot.config import ChannelConfig, Config
from bot.pipeline.poll import PollReport
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store import digest_runs
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)  # a Monday


def make_config(tmp_path: Path) -> Config:
    return Config(
        database=str(tmp_path / "nd.db"),
        channels=[
            ChannelConfig(platform="slack", id="C1", schedule="0 9 * * *", min_sources=1),
            ChannelConfig(
                platform="slack", id="C2", schedule="0 9 * * 1-5", timezone="Europe/Berlin"
            ),
            ChannelConfig(platform="slack", id="C3", mode="instant", min_sources=2),
        ],
    )


def make_service(
    tmp_path: Path, now: datetime, *, chat: FakeChatAdapter | None = None, port: int | None = None
) -> tuple[Service, FakeChatAdapter]:
    config = make_config(tmp_path)
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=port, health_host="127.0.0.1", post_pace=0)
    service = Service(config, core=core, settings=settings, clock=lambda: now, env={})
    chat = chat or FakeChatAdapter("slack")
    service.register_adapter(chat)
    return service, chat


async def test_restart_rebuilds_jobs_without_duplicates(tmp_path: Path) -> None:
    ids: list[list[str]] = []
    for _ in range(2):
        service, _chat = make_service(tmp_path, T0)
        await service.start()
        ids.append(sorted(job.id for job in service.scheduler.get_jobs()))
        service.sync_jobs()  # the periodic resync changes nothing
        assert sorted(job.id for job in service.scheduler.get_jobs()) == ids[-1]
        await stop(service)
    c1 = channel_store.get_channel(open_database(tmp_path / "nd.db"), "slack", "C1")
    assert c1 is not None
    assert ids[0] == ids[1]
    # Two digest channels (the instant one has no cron job) plus the fixed jobs; no console
    # channel is created because a chat platform is running.
    assert ids[0] == sorted(["poll", "outbox", "sync-jobs", "prune", "digest:1", "digest:2"])


async def test_digest_missed_while_down_is_sent_once(tmp_path: Path) -> None:
    service, chat = make_service(tmp_path, T0 - timedelta(days=3))
    await service.start()  # records the baseline: C1 last "ran" three days ago
    await stop(service)
    db = open_database(tmp_path / "nd.db")
    for i in range(3):
        add_story(db, f"s{i}", ["A", "B"], now=T0 - timedelta(hours=2))
    db.close()
    # Back at 10:00 after missing three 09:00 digests: one catch-up, for today's.
    service, chat = make_service(tmp_path, T0, chat=chat)
    await service.start()
    await service.outbox.drain()
    c1 = [m for m in chat.cards() if m.channel_id == "C1"]
    assert sorted(m.story_id for m in c1) == ["s0", "s1", "s2"]
    assert digest_runs.last_digest_run(service.db, 1) == T0.replace(hour=9)
    # A scheduler run for the same slot (a coalesced misfire) is recognised as done.
    await service.run_digest(1)
    await stop(service)
    # A second restart in the same window sends nothing more.
    service, chat = make_service(tmp_path, T0 + timedelta(minutes=5), chat=chat)
    await service.start()
    await service.outbox.drain()
    await stop(service)
    assert len([m for m in chat.cards() if m.channel_id == "C1"]) == 3


async def test_chat_digest_command_goes_through_the_outbox(tmp_path: Path) -> None:
    service, chat = make_service(tmp_path, T0)
    await service.start()
    add_story(service.db, "s1", ["A"], now=T0)
    ctx = CommandContext(platform="slack", channel_id="C1", user_id="U1")
    reply = await service.commands.dispatch("digest", "", ctx)
    assert "1" in reply.text
    await service.outbox.drain()
    again = await service.commands.dispatch("digest", "", ctx)
    await service.outbox.drain()
    await stop(service)
    assert [m.story_id for m in chat.cards()] == ["s1"]
    assert "Nothing new" in again.text


async def test_poll_pass_posts_instant_stories_and_updates(tmp_path: Path) -> None:
    service, chat = make_service(tmp_path, T0)
    await service.start()
    add_story(service.db, "s1", ["A"], now=T0)
    await service.on_poll_pass(PassReport(poll=PollReport(), touched_stories={"s1"}))
    await service.outbox.drain()
    assert not [m for m in chat.cards() if m.channel_id == "C3"]  # one source, C3 needs two
    grow_story(service.db, "s1", ["B"], now=T0)
    await service.on_poll_pass(PassReport(poll=PollReport(), touched_stories={"s1"}))
    await service.outbox.drain()
    assert [m.story_id for m in chat.cards() if m.channel_id == "C3"] == ["s1"]
    # It grows again: the update waits for the update interval, then goes out once; the
    # card's count is edited meanwhile (silently).
    grow_story(service.db, "s1", ["C"], now=T0)
    await service.on_poll_pass(PassReport(poll=PollReport(), touched_stories={"s1"}))
    pending = delivery_store.in_state(service.db, "pending")
    (row,) = [r for r in pending if r.kind == "update"]
    assert row.next_attempt_at == T0 + timedelta(hours=1)
    assert [r.kind for r in pending if r.kind != "update"] == ["refresh"]
    await stop(service)


async def test_healthz_reports_scheduler_polls_and_backlog(tmp_path: Path) -> None:
    service, _chat = make_service(tmp_path, T0, port=0)
    await service.start()
    assert service.health_server is not None
    url = f"http://127.0.0.1:{service.health_server.port}/healthz"
    async with httpx.AsyncClient() as client:
        body = (await client.get(url)).json()
        assert body["scheduler_running"] is True and body["status"] == "ok"
        assert {"last_successful_poll", "failing_feeds", "pending_deliveries"} <= set(body)
        await service.stop()
    service.core.close()


async def test_turning_quiet_hours_off_wakes_the_outbox(tmp_path: Path) -> None:
    night = T0.replace(hour=23)
    service, _chat = make_service(tmp_path, night)
    await service.start()
    add_story(service.db, "s1", ["A"], now=night)
    kicks: list[int] = []
    service.outbox.kick = lambda: kicks.append(1)  # type: ignore[method-assign]
    ctx = CommandContext(platform="slack", channel_id="C1", user_id="U1")
    await service.commands.dispatch("watchlist", "quiet 22:00-07:00", ctx)
    held = await service.commands.dispatch("digest", "", ctx)
    assert "07:00" in held.text
    kicks.clear()
    await service.commands.dispatch("watchlist", "quiet off", ctx)
    # The held digest is due again, and the outbox hears so at once instead of on its idle pass.
    assert kicks == [1]
    await stop(service)


async def test_a_second_digest_in_quiet_hours_says_the_first_is_still_queued(
    tmp_path: Path,
) -> None:
    night = T0.replace(hour=23)
    service, chat = make_service(tmp_path, night)
    await service.start()
    add_story(service.db, "s1", ["A"], now=night)
    add_story(service.db, "s2", ["A"], now=night)
    ctx = CommandContext(platform="slack", channel_id="C1", user_id="U1")
    await service.commands.dispatch("watchlist", "quiet 22:00-07:00", ctx)
    first = await service.commands.dispatch("digest", "", ctx)
    await service.outbox.drain()
    second = await service.commands.dispatch("digest", "", ctx)
    await stop(service)
    assert first.text == (
        "Queued 2 stories for this channel. It is in its quiet hours (22:00-07:00), "
        "so they will be posted at 07:00 UTC when those end."
    )
    assert second.text == (
        "2 stories are already queued for this channel and will be posted at 07:00 UTC when "
        "its quiet hours (22:00-07:00) end. Anything newer goes in the digest after them."
    )
    assert chat.messages == []
