"""One instant channel's stories are chosen and queued one choosing at a time. A start's
catch-up and its first poll pass after a downtime (or a look at another process's stories, or
a /watchlist change) both choose off the loop: run at once, each read before the other wrote,
and 60 qualifying stories became 50 cards and two "more" notices. And the write queues the
cards of the selection as it is then: a story given a row since it was read is dropped and the
next one listed takes its card. Real SQLite file, the service's own threads."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.clock import Clock
from fakes.runner import slack_service, stop
from fakes.stories import add_story

from bot.config import ChannelConfig
from bot.pipeline.digest import Selection
from bot.runner import digest_build, digests
from bot.runner.elsewhere import plan_changed
from bot.runner.service import Service
from bot.store import deliveries as delivery_store

T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)
INSTANT = ChannelConfig(platform="slack", id="C1", mode="instant", min_sources=1)
STORIES = [f"s{i:02}" for i in range(60)]


class Overlapping:
    """`digests.instant_selection`, whose first call waits (up to a second) for a second to
    start reading: a big database's seconds, during which another choosing could read too. A
    later call, made once the first is done, has no wait of its own: nothing is left to overlap
    it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.real = digests.instant_selection
        self.calls = 0
        self.inside = 0
        self.most = 0
        self.second = threading.Event()
        self.lock = threading.Lock()
        monkeypatch.setattr(digests, "instant_selection", self)

    def __call__(self, *args: Any, **kwargs: Any) -> Selection:
        with self.lock:
            self.calls += 1
            self.inside += 1
            self.most = max(self.most, self.inside)
            first = self.calls == 1
            if self.inside > 1:
                self.second.set()
        try:
            selection = self.real(*args, **kwargs)
            if first:
                self.second.wait(1.0)
            return selection
        finally:
            with self.lock:
                self.inside -= 1


def cards_and_notices(service: Service) -> tuple[int, list[str]]:
    cards = service.db.execute("SELECT count(*) FROM deliveries WHERE kind = 'story'")
    notices = service.db.execute("SELECT text FROM alerts WHERE key LIKE 'instant-more:%'")
    return cards.fetchone()[0], [r[0] for r in notices]


async def test_two_choosings_for_a_channel_at_once_go_one_after_the_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service, _chat = slack_service(tmp_path, Clock(T0), INSTANT)
    await service.start()
    try:
        for i, story_id in enumerate(STORIES):
            add_story(service.db, story_id, ["A", "B"], now=T0 - timedelta(minutes=30 + i))
        overlapping = Overlapping(monkeypatch)
        [channel] = service.instant_channels()
        # The start's catch-up and the first poll pass, which touched every story.
        catch_up = digest_build.enqueue_instant_off_loop(
            service.db, channel, now=T0 + timedelta(seconds=1)
        )
        first_pass = plan_changed(service, set(STORIES), now=T0 + timedelta(seconds=2))
        await asyncio.gather(catch_up, first_pass)
        cards, notices = cards_and_notices(service)
    finally:
        await stop(service)
    assert overlapping.most == 1
    # The limit's 50; the 10 the notice counted are not posted by the pass that touched them,
    # since none grew after it (`listed_stories.not_grown`).
    assert cards == 50
    assert len(notices) == 1 and "10 more stories" in notices[0]


async def test_a_story_queued_while_chosen_gives_its_card_to_the_next(tmp_path: Path) -> None:
    service, _chat = slack_service(tmp_path, Clock(T0), INSTANT)
    await service.start()
    try:
        for i, story_id in enumerate(STORIES):
            add_story(service.db, story_id, ["A", "B"], now=T0 - timedelta(minutes=30 + i))
        [channel] = service.instant_channels()
        stale = digests.instant_selection(service.db, channel, now=T0)
        assert len(stale.chosen) == 50 and stale.more == 10
        # Queued by another choosing after this one read: five of its cards.
        for c in stale.chosen[:5]:
            delivery_store.enqueue_story(service.db, c.story.id, channel.id, now=T0)
        queued = digests.enqueue_instant(service.db, channel, now=T0, selection=stale)
        cards, notices = cards_and_notices(service)
    finally:
        await stop(service)
    assert queued == 50
    assert cards == 55
    assert len(notices) == 1 and "5 more stories" in notices[0]
