"""A digest is chosen off the event loop: on a database of months that takes seconds a channel,
and a start-up catching up a dozen channels, or channels sharing a schedule, kept /healthz and
slash commands waiting for as long. /healthz answers during the catch-up and says so. Real SQLite
file, controlled clock; the selection is slowed by a wrapper to stand for the big database."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from _loop_ticks import LoopTicks
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.runner import stop
from fakes.stories import add_story

from bot.app import NewsDigest
from bot.commands.base import DigestNotQueued
from bot.config import ChannelConfig, Config
from bot.pipeline.digest import Selection
from bot.runner import digest_build
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import channels as channel_store
from bot.store import digest_runs
from bot.store.database import open_database

T0 = datetime(2027, 5, 3, 9, 0, tzinfo=UTC)  # a Monday, 09:00 UTC


def make_service(tmp_path: Path, clock: Callable[[], datetime]) -> tuple[Service, FakeChatAdapter]:
    config = Config(
        database=str(tmp_path / "nd.db"),
        channels=[
            ChannelConfig(platform="slack", id=f"C{n}", schedule="0 9 * * *", min_sources=1)
            for n in (1, 2)
        ],
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=None, post_pace=0, start_spread=300)
    service = Service(config, core=core, settings=settings, clock=clock, env={})
    chat = FakeChatAdapter("slack")
    service.register_adapter(chat)
    return service, chat


class SlowSelection:
    """`digest_selection` as `digest_build` calls it, recording the thread it ran on and, with
    `gate`, waiting for the test to let it return. The real selection is read before the gate:
    a change the test makes while it waits lands between the read and the digest's write, as
    one made during a big database's seconds of reading does, so only the write's own checks
    can honour it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, gate: bool = False) -> None:
        self.threads: list[int] = []
        self.entered = threading.Event()
        self.release = threading.Event()
        if not gate:
            self.release.set()
        self.real = digest_build.digest_selection
        monkeypatch.setattr(digest_build, "digest_selection", self)

    def __call__(self, *args: Any, **kwargs: Any) -> Selection:
        self.threads.append(threading.get_ident())
        selection = self.real(*args, **kwargs)
        self.entered.set()
        assert self.release.wait(10)
        threading.Event().wait(0.2)  # a big database's seconds, shortened
        return selection


class WatchedLock(asyncio.Lock):
    """`Service.digest_lock` that says when a second caller has come to wait for it."""

    def __init__(self) -> None:
        super().__init__()
        self.contended = asyncio.Event()

    async def acquire(self) -> bool:
        if self.locked():
            self.contended.set()
        return await super().acquire()


async def missed_digests(tmp_path: Path, clock: Clock) -> None:
    """Two channels whose 09:00 digest was missed, with a story each would get."""
    service, _chat = make_service(tmp_path, clock)
    await service.start()  # the baseline runs, a day ago
    await stop(service)
    db = open_database(tmp_path / "nd.db")
    add_story(db, "s1", ["A"], now=T0 - timedelta(minutes=30))
    db.conn.close()


async def catching_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Service, SlowSelection, asyncio.Task[None]]:
    """A service starting after its channels' 09:00 digests were missed, held inside its
    first catch-up selection (release `slow.release` to let it go on)."""
    clock = Clock(T0 - timedelta(days=1))
    await missed_digests(tmp_path, clock)
    clock.now = T0 + timedelta(minutes=5)
    slow = SlowSelection(monkeypatch, gate=True)
    service, _chat = make_service(tmp_path, clock)
    starting = asyncio.create_task(service.start())
    assert await asyncio.to_thread(slow.entered.wait, 10)
    return service, slow, starting


async def test_catch_up_digests_are_chosen_off_the_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(T0 - timedelta(days=1))
    await missed_digests(tmp_path, clock)
    clock.now = T0 + timedelta(minutes=5)
    slow = SlowSelection(monkeypatch)
    service, chat = make_service(tmp_path, clock)
    async with LoopTicks() as ticks:
        await service.start()
    await service.outbox.drain()
    runs = [digest_runs.last_digest_run(service.db, pk) for pk in (1, 2)]
    await stop(service)
    assert len(slow.threads) == 2
    assert threading.get_ident() not in slow.threads  # never on the loop's thread
    # Two selections of 0.2 s each: the loop ticked through them (a blocked loop does not).
    assert ticks.count >= 10, ticks.count
    assert runs == [T0, T0]
    assert sorted(m.channel_id for m in chat.cards()) == ["C1", "C2"]


async def test_healthz_answers_catching_up_while_missed_digests_are_chosen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service, slow, starting = await catching_up(tmp_path, monkeypatch)
    during = service.health()
    slow.release.set()
    await starting
    after = service.health()
    await stop(service)
    assert during["status"] == "catching up" and during["catching_up"] is True
    assert during["scheduler_running"] is True  # so the health check's answer is a 200
    assert after["status"] == "ok" and after["catching_up"] is False


async def test_a_scheduled_digest_is_chosen_off_the_loop_and_slash_digest_waits_its_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(T0 - timedelta(hours=1))
    service, chat = make_service(tmp_path, clock)
    await service.start()
    add_story(service.db, "s1", ["A"], now=T0 - timedelta(minutes=30))
    slow = SlowSelection(monkeypatch, gate=True)
    service.digest_lock = lock = WatchedLock()
    clock.now = T0 + timedelta(milliseconds=300)
    job = asyncio.create_task(service.run_digest(1))
    assert await asyncio.to_thread(slow.entered.wait, 10)
    # `/digest` in C1 while the job's digest is being chosen: it waits for it, so the job's
    # check of what C1 was sent still holds when the job queues its digest.
    channel = channel_store.get_channel(service.db, "slack", "C1")
    assert channel is not None
    command = asyncio.create_task(service.post_digest(channel))
    await asyncio.wait_for(lock.contended.wait(), 10)
    assert len(slow.threads) == 1  # the command waits for the lock, not choosing beside the job
    slow.release.set()
    await job
    count = await command
    await service.outbox.drain()
    await stop(service)
    assert threading.get_ident() not in slow.threads
    assert count == 0  # the job's digest gave s1 already
    assert [(m.channel_id, m.story_id) for m in chat.cards()] == [("C1", "s1")]


async def scheduled_digest_changed_meanwhile(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: Callable[[Service], object],
    stories: dict[str, list[str]],
    digest_size: int = 5,
    setup: Callable[[Service], object] | None = None,
) -> tuple[Service, FakeChatAdapter]:
    """C1's 09:00 job run while `change` is made to the channel as its digest is chosen
    (`setup`: made to the started service before its stories are added)."""
    clock = Clock(T0 - timedelta(hours=1))
    service, chat = make_service(tmp_path, clock)
    await service.start()
    channel_store.update_channel(service.db, 1, digest_size=digest_size)
    if setup is not None:
        setup(service)
    for n, (slug, outlets) in enumerate(stories.items()):
        add_story(service.db, slug, outlets, now=T0 - timedelta(minutes=30 + n))
    slow = SlowSelection(monkeypatch, gate=True)
    clock.now = T0 + timedelta(milliseconds=300)
    job = asyncio.create_task(service.run_digest(1, schedule=("0 9 * * *", "UTC")))
    assert await asyncio.to_thread(slow.entered.wait, 10)
    change(service)
    slow.release.set()
    await job
    await service.outbox.drain()
    return service, chat


def listed_stories(service: Service) -> list[str]:
    """The stories C1's digests listed after their cards, in story order."""
    return [
        r[0]
        for r in service.db.execute(
            "SELECT story_id FROM listed_stories WHERE channel_pk = 1 ORDER BY story_id"
        )
    ]


@pytest.mark.parametrize(
    "fields",
    [
        {"paused_reason": "slack refused to post: channel_not_found"},
        {"mode": "instant"},
        {"schedule": "0 18 * * *"},  # /watchlist schedule 18:00: the 09:00 job is stale
        {"timezone": "Europe/Berlin"},
    ],
)
async def test_a_channel_changed_while_its_digest_is_chosen_gets_none_from_the_old_job(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fields: dict[str, str]
) -> None:
    before: list[object] = []

    def change(service: Service) -> None:
        before.append(digest_runs.last_digest_run(service.db, 1))
        channel_store.update_channel(service.db, 1, **fields)

    service, chat = await scheduled_digest_changed_meanwhile(
        tmp_path, monkeypatch, change, {"s1": ["A"]}
    )
    after = digest_runs.last_digest_run(service.db, 1)
    await stop(service)
    assert chat.cards() == []
    assert after == before[0]  # no run recorded: the new schedule's window is not shifted


async def test_mutes_and_a_raised_minimum_set_while_a_digest_is_chosen_are_honoured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def change(service: Service) -> None:
        channel_store.mute_story(service.db, 1, "s2")
        channel_store.update_channel(service.db, 1, min_sources=2)

    stories = {"s1": ["A", "B", "C"], "s2": ["A", "B"], "s3": ["A", "B"], "s4": ["A"]}

    service, chat = await scheduled_digest_changed_meanwhile(
        tmp_path, monkeypatch, change, stories, digest_size=1
    )
    notices = [m.text for m in chat.texts() if m.channel_id == "C1"]
    listed = listed_stories(service)
    await stop(service)
    assert [m.story_id for m in chat.cards()] == ["s1"]
    # s3 still qualifies and is listed; muted s2 and s4 (one source of two) are not.
    assert listed == ["s3"]
    assert any("Story s3" in t for t in notices), notices
    assert not any("Story s2" in t or "Story s4" in t for t in notices), notices


async def test_slash_digest_in_a_channel_paused_while_its_digest_is_chosen_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(T0 - timedelta(hours=1))
    service, chat = make_service(tmp_path, clock)
    await service.start()
    add_story(service.db, "s1", ["A"], now=T0 - timedelta(minutes=30))
    slow = SlowSelection(monkeypatch, gate=True)
    channel = channel_store.get_channel(service.db, "slack", "C1")
    assert channel is not None
    command = asyncio.create_task(service.post_digest(channel))
    assert await asyncio.to_thread(slow.entered.wait, 10)
    channel_store.update_channel(service.db, 1, paused_reason="slack refused to post: x")
    slow.release.set()
    with pytest.raises(DigestNotQueued, match="was paused meanwhile"):
        await command
    await service.outbox.drain()
    await stop(service)
    assert chat.messages == []


async def test_a_stop_during_the_start_catch_up_stops_choosing_digests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service, slow, starting = await catching_up(tmp_path, monkeypatch)
    service.request_stop()
    slow.release.set()
    await starting
    await stop(service)
    assert len(slow.threads) == 1  # C1's, under way; C2's waits for the next start


FOUR_STORIES = {"s1": ["A", "B", "C"], "s2": ["A", "B"], "s3": ["A", "B"], "s4": ["A", "B"]}


async def digest_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[Service], object]
) -> tuple[list[str], list[str], list[str]]:
    """C1's two-card digest of FOUR_STORIES with `change` made after its selection was read:
    its cards, the stories listed after them, and C1's notices."""
    service, chat = await scheduled_digest_changed_meanwhile(
        tmp_path, monkeypatch, change, FOUR_STORIES, digest_size=2
    )
    cards = [m.story_id or "" for m in chat.cards()]
    listed = listed_stories(service)
    notices = [m.text for m in chat.texts() if m.channel_id == "C1"]
    await stop(service)
    return cards, listed, notices


async def test_a_card_muted_while_its_digest_is_chosen_is_replaced_by_the_next_story(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cards, listed, _notices = await digest_after(
        tmp_path, monkeypatch, lambda s: channel_store.mute_story(s.db, 1, "s1")
    )
    # The digest keeps its two cards: s3 moves up from the list into s1's slot.
    assert cards == ["s2", "s3"]
    assert listed == ["s4"]


async def test_every_card_muted_while_its_digest_is_chosen_leaves_no_cardless_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def change(service: Service) -> None:
        channel_store.mute_story(service.db, 1, "s1")
        channel_store.mute_story(service.db, 1, "s2")

    cards, listed, notices = await digest_after(tmp_path, monkeypatch, change)
    assert cards == ["s3", "s4"]
    assert listed == []
    assert not any("without a card" in t for t in notices), notices


async def test_a_digest_size_lowered_while_its_digest_is_chosen_is_honoured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cards, listed, notices = await digest_after(
        tmp_path, monkeypatch, lambda s: channel_store.update_channel(s.db, 1, digest_size=1)
    )
    assert cards == ["s1"]
    # The card beyond the new size goes to the list with the rest.
    assert listed == ["s2", "s3", "s4"]
    assert any("Story s2" in t for t in notices), notices
