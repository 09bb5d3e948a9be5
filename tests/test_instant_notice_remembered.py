"""An instant channel's notice of the stories beyond its limit ("...and 20 more") is remembered:
a later instant pass (the catch-up at every start, a channel changed while starting, a platform
starting late) gives none of them a card unless it has grown since. Before, each start took the
next 50 of them: 70 qualifying stories got 50 cards and a notice, then 20 more cards after a
restart, the very stories the notice had said were left out. A real SQLite file, the real
service started and restarted over it, its outbox held so the rows stay to be counted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fakes.clock import Clock
from fakes.runner import slack_service, stop
from fakes.stories import add_story, grow_story

from bot.config import ChannelConfig
from bot.runner import digests
from bot.runner.digest_build import enqueue_instant_off_loop
from bot.runner.service import Service

T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)
CHANNEL = ChannelConfig(platform="slack", id="C1", mode="instant", min_sources=1)


async def _started(tmp_path: Path, now: datetime) -> Service:
    """The service over the database in `tmp_path`, started (its catch-up run), sending nothing."""
    service, _chat = slack_service(tmp_path, Clock(now), CHANNEL)
    await service.start()
    service.outbox.halted = True
    service.outbox.kick()
    await service.outbox_task
    return service


def _cards(service: Service) -> set[str]:
    rows = service.db.execute("SELECT story_id FROM deliveries WHERE kind = 'story'")
    return {row[0] for row in rows}


def _notices(service: Service) -> list[str]:
    rows = service.db.execute("SELECT text FROM alerts WHERE key LIKE 'instant-more:%'")
    return [row[0] for row in rows]


async def _pass_over_70_stories(tmp_path: Path) -> set[str]:
    """70 qualifying stories and a poll pass's instant enqueue: the stories left to the notice."""
    service = await _started(tmp_path, T0)
    ids = [f"s{i}" for i in range(digests.INSTANT_LIMIT + 20)]
    for story_id in ids:
        add_story(service.db, story_id, ["Gazette", "Courier"], now=T0 - timedelta(minutes=5))
    [row] = service.instant_channels()
    await enqueue_instant_off_loop(service.db, row, now=T0)
    assert len(_cards(service)) == digests.INSTANT_LIMIT
    [notice] = _notices(service)
    assert notice.startswith("...and 20 more stories reached")
    left_out = set(ids) - _cards(service)
    await stop(service)
    return left_out


async def test_a_restart_does_not_post_the_stories_the_notice_counted(tmp_path: Path) -> None:
    left_out = await _pass_over_70_stories(tmp_path)
    again = await _started(tmp_path, T0 + timedelta(minutes=1))
    try:
        assert len(_cards(again)) == digests.INSTANT_LIMIT
        assert not _cards(again) & left_out
        assert len(_notices(again)) == 1
    finally:
        await stop(again)


async def test_a_counted_story_that_grows_gets_its_card(tmp_path: Path) -> None:
    left_out = await _pass_over_70_stories(tmp_path)
    grown = sorted(left_out)[0]
    again = await _started(tmp_path, T0 + timedelta(minutes=1))
    try:
        grow_story(again.db, grown, ["Herald"], now=T0 + timedelta(minutes=2))
        [row] = again.instant_channels()
        # The poll pass that saw it grow; a later start's catch-up would do the same.
        queued = await enqueue_instant_off_loop(
            again.db, row, now=T0 + timedelta(minutes=3), story_ids={grown}
        )
        assert queued == 1
        assert _cards(again) & left_out == {grown}
        assert len(_cards(again)) == digests.INSTANT_LIMIT + 1
        # Nor does a pass over every story post the others the notice counted.
        assert await enqueue_instant_off_loop(again.db, row, now=T0 + timedelta(minutes=4)) == 0
        assert len(_notices(again)) == 1
    finally:
        await stop(again)
