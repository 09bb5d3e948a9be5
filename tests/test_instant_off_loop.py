"""An instant channel's stories are chosen off the event loop, as a digest's are: at a start's
catch-up every instant channel reads the last six hours' stories, and a poll pass's changed
stories are many after a downtime; on a database of months that held /healthz and chat. The
write that queues them reads the channel again: a story muted, or the channel paused or switched
to digests, while the stories were chosen gets nothing queued. Real SQLite file, real /healthz
on a loopback port asked from another thread while the choosing runs."""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.clock import Clock
from fakes.runner import health_url, slack_service, stop
from fakes.stories import add_story

from bot.app import PassReport
from bot.config import ChannelConfig
from bot.pipeline.digest import Selection
from bot.pipeline.poll import PollReport
from bot.runner import digest_build, digests
from bot.runner.service import Service
from bot.store import channels as channel_store
from bot.store.database import open_database

T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)
INSTANT = ChannelConfig(platform="slack", id="C1", mode="instant", min_sources=1)


def ask_health(url: str) -> tuple[int, str] | None:
    """/healthz's status code and status, or None when it did not answer within 3 s."""
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.status, json.loads(response.read())["status"]
    except urllib.error.HTTPError as error:  # a 503 answers too
        return error.code, json.loads(error.read())["status"]
    except OSError:
        return None


class SlowInstant:
    """`digests.instant_selection`, recording the thread it ran on and standing for a big
    database's seconds of reading: /healthz is asked from another thread meanwhile (the loop,
    if it ran there, could not answer). With `gate`, it then waits for the test to release it,
    so a change made meanwhile lands between the read and the write."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, service: Service, *, gate: bool = False):
        self.service = service
        self.threads: list[int] = []
        self.answers: list[tuple[int, str] | None] = []
        self.entered = threading.Event()
        self.release = threading.Event()
        if not gate:
            self.release.set()
        self.real = digests.instant_selection
        monkeypatch.setattr(digests, "instant_selection", self)

    def __call__(self, *args: Any, **kwargs: Any) -> Selection:
        self.threads.append(threading.get_ident())
        selection = self.real(*args, **kwargs)
        asking = threading.Thread(
            target=lambda: self.answers.append(ask_health(health_url(self.service)))
        )
        asking.start()
        asking.join()
        self.entered.set()
        assert self.release.wait(10)
        return selection


def stories(tmp_path: Path, *ids: str) -> None:
    db = open_database(tmp_path / "nd.db")
    for story_id in ids:
        add_story(db, story_id, ["A", "B"], now=T0 - timedelta(minutes=30))
    db.conn.close()


def queued(service: Service) -> list[str]:
    rows = service.db.execute("SELECT story_id FROM deliveries WHERE kind = 'story' ORDER BY 1")
    return [r[0] for r in rows]


async def test_the_start_s_instant_posts_are_chosen_while_healthz_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stories(tmp_path, "s1", "s2")
    service, chat = slack_service(tmp_path, Clock(T0), INSTANT, health=True)
    slow = SlowInstant(monkeypatch, service)
    try:
        await service.start()
        await service.outbox.drain()
    finally:
        await stop(service)
    # Asked while the start's catch-up chose the channel's stories: answered, and said so.
    assert slow.answers == [(200, "catching up")]
    assert slow.threads and threading.get_ident() not in slow.threads  # never on the loop
    assert sorted(m.story_id for m in chat.cards()) == ["s1", "s2"]


async def test_a_poll_pass_s_instant_posts_are_chosen_while_healthz_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service, chat = slack_service(tmp_path, Clock(T0), INSTANT, health=True)
    await service.start()
    try:
        slow = SlowInstant(monkeypatch, service)
        add_story(service.db, "s3", ["A", "B"], now=T0 - timedelta(minutes=5))
        await service.on_poll_pass(PassReport(poll=PollReport(), touched_stories={"s3"}))
        await service.outbox.drain()
    finally:
        await stop(service)
    assert slow.answers == [(200, "ok")]
    assert slow.threads and threading.get_ident() not in slow.threads
    assert [m.story_id for m in chat.cards()] == ["s3"]


async def choosing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Service, SlowInstant, asyncio.Task[int]]:
    """A running service choosing its instant channel's stories (s1, s2), held after the read
    until `slow.release` is set."""
    service, _chat = slack_service(tmp_path, Clock(T0), INSTANT, health=True)
    await service.start()
    stories(tmp_path, "s1", "s2")
    slow = SlowInstant(monkeypatch, service, gate=True)
    [channel] = service.instant_channels()
    task = asyncio.create_task(digest_build.enqueue_instant_off_loop(service.db, channel, now=T0))
    assert await asyncio.to_thread(slow.entered.wait, 10)
    return service, slow, task


async def test_a_story_muted_while_chosen_is_not_queued(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service, slow, task = await choosing(tmp_path, monkeypatch)
    try:
        channel_store.mute_story(service.db, service.instant_channels()[0].id, "s1")
        slow.release.set()
        assert await task == 1
        assert queued(service) == ["s2"]
    finally:
        await stop(service)


@pytest.mark.parametrize(
    "change", [{"paused_reason": "paused in chat"}, {"mode": "digest"}, {"min_sources": 3}]
)
async def test_a_channel_changed_while_its_stories_were_chosen_gets_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: dict[str, Any]
) -> None:
    service, slow, task = await choosing(tmp_path, monkeypatch)
    try:
        channel_store.update_channel(service.db, service.instant_channels()[0].id, **change)
        slow.release.set()
        assert await task == 0
        assert queued(service) == []
    finally:
        await stop(service)
