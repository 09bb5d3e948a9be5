"""A story a digest only counted ("…and 3 more", past the list's MAX_LISTED lines) is listed
ahead of newer stories by the channel's next digest, so nothing that matched stays a count for
good. Real SQLite files through the real digest code (`bot.runner.digests.enqueue_digest`, which
the scheduled digest and `/digest` in chat both call)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.stories import add_channel, add_story

from bot.app import NewsDigest
from bot.commands.base import CommandContext
from bot.config import ChannelConfig, Config
from bot.runner import digests
from bot.runner.overflow import MAX_LISTED
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import channels as channel_store
from bot.store.channels import ChannelRow
from bot.store.database import open_database

NOON = datetime(2027, 6, 8, 12, 0, tzinfo=UTC)
EVENING = NOON + timedelta(hours=6)
NIGHT = EVENING + timedelta(hours=3)


def _lines(db: sqlite_utils.Database) -> list[str]:
    """The stories the latest digest's notice has a line for, in its order."""
    text = str(db.execute("SELECT text FROM alerts ORDER BY id DESC LIMIT 1").fetchone()[0])
    return [
        line.split(" · ")[0].removeprefix("• Story ")
        for line in text.splitlines()
        if line.startswith("• ")
    ]


def _rest(db: sqlite_utils.Database) -> str:
    text = str(db.execute("SELECT text FROM alerts ORDER BY id DESC LIMIT 1").fetchone()[0])
    return text.splitlines()[-1]


def _stories(db: sqlite_utils.Database, prefix: str, count: int, *, now: datetime) -> list[str]:
    # One outlet each, stored together: they tie, and rank by id.
    names = [f"{prefix}{i:02}" for i in range(count)]
    for name in names:
        add_story(db, name, ["Gazette"], now=now)
    return names


def _first_digest(tmp_path: Path) -> tuple[sqlite_utils.Database, ChannelRow, list[str]]:
    """A digest of one card and 13 stories beyond it: 10 listed, the last 3 only counted."""
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    old = _stories(db, "a", 1 + MAX_LISTED + 3, now=NOON - timedelta(hours=1))
    assert digests.enqueue_digest(db, channel, now=NOON, default_size=1) == 1
    assert _lines(db) == old[1 : 1 + MAX_LISTED]
    assert _rest(db).startswith("…and 3 more: ")
    # Sent by the outbox before any later digest here: a notice not sent yet keeps the stories
    # it lists from a later digest's cards (`listed_stories.pending_lines`).
    db.execute("UPDATE alerts SET state = 'sent' WHERE state = 'pending'")
    db.conn.commit()
    return db, channel, old[1 + MAX_LISTED :]


def test_the_next_digest_lists_the_counted_stories_before_newer_ones(tmp_path: Path) -> None:
    db, channel, counted = _first_digest(tmp_path)
    newer = _stories(db, "b", 12, now=EVENING - timedelta(hours=1))
    assert digests.enqueue_digest(db, channel, now=EVENING, default_size=1) == 1
    # The card goes to the newest story; the counted three lead the list, in their rank order,
    # and the newer stories fill the rest of it.
    assert _lines(db) == counted + newer[1 : 1 + MAX_LISTED - len(counted)]
    # Those newer ones left over are the next digest's first lines in turn.
    left = newer[1 + MAX_LISTED - len(counted) :]
    assert _rest(db).startswith(
        f"…and {len(left) + MAX_LISTED} more ({MAX_LISTED} listed in an earlier digest): /digest"
    )
    _stories(db, "c", 3, now=NIGHT - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=NIGHT, default_size=1)
    assert _lines(db)[: len(left)] == left
    db.close()


def test_a_counted_story_listed_once_leads_no_later_list(tmp_path: Path) -> None:
    db, channel, counted = _first_digest(tmp_path)
    digests.enqueue_digest(db, channel, now=EVENING, default_size=1)
    assert _lines(db) == counted
    # Grown since, a listed story is listed again, but only by its rank: it waits for no line
    # (its row is kept until the listing notice is sent, which may yet fail).
    newer = _stories(db, "b", 12, now=NIGHT - timedelta(hours=1))
    add_story(db, counted[0], ["Gazette", "Courier"], now=NIGHT - timedelta(hours=2))
    digests.enqueue_digest(db, channel, now=NIGHT, default_size=1)
    assert _lines(db) == newer[1 : 1 + MAX_LISTED]
    db.close()


def test_a_counted_story_given_a_card_since_is_not_listed(tmp_path: Path) -> None:
    db, channel, counted = _first_digest(tmp_path)
    newer = _stories(db, "b", 12, now=EVENING - timedelta(hours=1))
    # The counted story grows into the newest news: it gets the card, not a line.
    add_story(db, counted[0], ["Gazette", "Courier", "Herald"], now=EVENING - timedelta(minutes=5))
    assert digests.enqueue_digest(db, channel, now=EVENING, default_size=1) == 1
    posted = db.execute("SELECT story_id FROM deliveries ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert posted == counted[0]
    assert _lines(db) == counted[1:] + newer[: MAX_LISTED - 2]
    db.close()


async def test_slash_digest_in_the_running_bot_lists_what_the_last_digest_counted(
    tmp_path: Path,
) -> None:
    # The rest line's "/digest" holds: asked in chat, the running bot queues a digest now,
    # whose list starts with the stories the scheduled one only counted.
    clock = Clock(NOON)
    config = Config(
        database=str(tmp_path / "nd.db"),
        channels=[
            ChannelConfig(
                platform="slack", id="C1", schedule="0 9 * * *", min_sources=1, digest_size=1
            )
        ],
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    service = Service(
        config,
        core=core,
        settings=RunnerSettings(health_port=None, post_pace=0),
        clock=clock,
        env={},
    )
    service.register_adapter(FakeChatAdapter("slack"))
    await service.start()
    try:
        old = _stories(service.db, "a", 1 + MAX_LISTED + 3, now=NOON - timedelta(hours=1))
        channel = channel_store.find_channel(service.db, "slack:C1")
        assert channel is not None
        assert digests.enqueue_digest(service.db, channel, now=NOON, default_size=1) == 1
        counted = old[1 + MAX_LISTED :]
        _stories(service.db, "b", 12, now=NOON + timedelta(minutes=30))
        clock.now = NOON + timedelta(hours=1)
        ctx = CommandContext(platform="slack", channel_id="C1", user_id="U1")
        reply = await service.commands.dispatch("digest", "", ctx)
        assert reply.text == "Posting 1 story to this channel."
        assert _lines(service.db)[: len(counted)] == counted
    finally:
        await service.stop()
        service.core.close()
