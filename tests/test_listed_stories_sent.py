"""A story a digest listed after its cards counts as listed to the channel only once the notice
that listed it was sent: a notice still pending, failed, or expired stale never reached the
channel, whose next digest lists the story again. And a story counts as listed if a story merged
into it was. Real SQLite files, the real outbox and fake Slack server for the sent notice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel, add_story, make_card_source

from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests
from bot.store import alerts
from bot.store import stories as story_store
from bot.store.channels import ChannelRow
from bot.store.database import open_database

NOON = datetime(2027, 5, 4, 12, 0, tzinfo=UTC)
LATER = NOON + timedelta(hours=3)
EARLIER = "2 more stories match this channel without a card, listed in an earlier digest: "


def _three(tmp_path: Path) -> tuple[sqlite_utils.Database, ChannelRow, list[str]]:
    """Three stories, a digest of one card: the other two listed by a notice, still pending."""
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    for story in ("quay", "ferry", "dock"):
        add_story(db, story, ["Gazette", "Courier"], now=NOON - timedelta(hours=1))
    assert digests.enqueue_digest(db, channel, now=NOON, default_size=1) == 1
    listed = _listed(db)
    assert len(listed) == 2
    return db, channel, listed


def _listed(db: sqlite_utils.Database) -> list[str]:
    """The stories the latest notice has a line for."""
    text = _latest(db)
    return [line.split(" · ")[0][8:] for line in text.splitlines() if line.startswith("• ")]


def _latest(db: sqlite_utils.Database) -> str:
    return str(db.execute("SELECT text FROM alerts ORDER BY id DESC LIMIT 1").fetchone()[0])


def _alert_id(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT id FROM alerts ORDER BY id DESC LIMIT 1").fetchone()[0])


def _next_digest(db: sqlite_utils.Database, channel: ChannelRow, *, now: datetime = LATER) -> None:
    # No card this time: every story is on the list, or counted as listed before.
    queued = db.execute("SELECT COUNT(*) FROM alerts").fetchone()[0]
    digests.enqueue_digest(db, channel, now=now, default_size=0)
    assert db.execute("SELECT COUNT(*) FROM alerts").fetchone()[0] == queued + 1


def test_a_failed_notice_listed_nothing(tmp_path: Path) -> None:
    db, channel, listed = _three(tmp_path)
    alerts.set_alert_state(db, _alert_id(db), "failed", now=NOON, error="out of attempts")
    _next_digest(db, channel)
    assert set(listed) <= set(_listed(db))
    assert "listed in an earlier digest" not in _latest(db)
    db.close()


def test_a_notice_expired_stale_listed_nothing(tmp_path: Path) -> None:
    # A channel paused past the stale rule (shortened here, so the stories are still in the
    # next digest's window): its notice is failed as stale, never sent.
    db, channel, listed = _three(tmp_path)
    later = NOON + timedelta(hours=40)
    assert alerts.expire_stale(db, now=later, stale_after=timedelta(hours=36)) == 1
    _next_digest(db, channel, now=later)
    assert set(listed) <= set(_listed(db))
    db.close()


def test_a_notice_still_pending_counts_so_the_next_digest_does_not_list_again(
    tmp_path: Path,
) -> None:
    # Held for quiet hours or an outage, it will go out: listing the stories again meanwhile
    # would send the same lines twice when the hold ends.
    db, channel, _ = _three(tmp_path)
    _next_digest(db, channel)
    assert _latest(db).startswith(EARLIER)
    db.close()


async def test_a_sent_notice_lists_once_even_after_retention(
    tmp_path: Path, slack_api: FakeSlackAPI
) -> None:
    db, channel, listed = _three(tmp_path)
    outbox = Outbox(
        db, make_card_source(db, NOON), settings=OutboxSettings(pace=0), clock=lambda: NOON
    )
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    outbox.register(SlackAdapter(client, pacer=ChannelPacer(0)))
    await outbox.drain()
    posted = slack_api.calls_to("chat.postMessage")[-1]["blocks"][0]["text"]["text"]
    assert all(f"Story {s}" in posted for s in listed)
    _next_digest(db, channel)
    assert _latest(db).startswith(EARLIER)
    # Retention deletes the sent notice; its listings still count.
    with db.conn:
        assert alerts.delete_finished(db, before=LATER + timedelta(days=30), limit=100) == 1
    _next_digest(db, channel, now=LATER + timedelta(hours=3))
    assert _latest(db).startswith(EARLIER)
    db.close()


def test_retention_drops_a_failed_notices_listings(tmp_path: Path) -> None:
    db, channel, listed = _three(tmp_path)
    alerts.set_alert_state(db, _alert_id(db), "failed", now=NOON, error="stale")
    with db.conn:
        assert alerts.delete_finished(db, before=LATER, limit=100) == 1
    assert db.execute("SELECT COUNT(*) FROM listed_stories").fetchone()[0] == 0
    _next_digest(db, channel)
    assert set(listed) <= set(_listed(db))
    db.close()


def test_a_story_something_listed_was_merged_into_is_listed(tmp_path: Path) -> None:
    db, channel, listed = _three(tmp_path)
    alerts.set_alert_state(db, _alert_id(db), "sent", now=NOON)
    # A new story, never listed, absorbs a listed one: the same news, nothing gained.
    add_story(db, "bridge", ["Gazette", "Courier"], now=NOON + timedelta(hours=1))
    story_store.merge(db, listed[0], "bridge", now=NOON + timedelta(hours=1))
    _next_digest(db, channel)
    assert "bridge" not in _listed(db)
    assert _latest(db).startswith(EARLIER)
    db.close()


def test_a_merged_story_that_gained_sources_is_listed_again(tmp_path: Path) -> None:
    db, channel, listed = _three(tmp_path)
    alerts.set_alert_state(db, _alert_id(db), "sent", now=NOON)
    add_story(db, "bridge", ["Gazette", "Courier", "Herald"], now=NOON + timedelta(hours=1))
    story_store.merge(db, listed[0], "bridge", now=NOON + timedelta(hours=1))
    _next_digest(db, channel)
    assert _listed(db) == ["bridge"]
    db.close()


def test_migration_34_matches_old_listings_to_their_notices(tmp_path: Path) -> None:
    path = tmp_path / "nd.db"
    db, channel, listed = _three(tmp_path)
    alerts.set_alert_state(db, _alert_id(db), "failed", now=NOON, error="stale")
    # A listing whose notice retention already deleted: its fate unknown, it counts as before.
    add_story(db, "bridge", ["Gazette"], now=NOON - timedelta(hours=2))
    # As a database from before migration 34 was.
    db.execute("ALTER TABLE listed_stories DROP COLUMN alert_id")
    db.execute(
        "INSERT INTO listed_stories (channel_pk, story_id, sources, listed_at)"
        " VALUES (?, 'bridge', 1, '2027-05-01T09:00:00+00:00')",
        [channel.id],
    )
    db.execute("DELETE FROM schema_migrations WHERE version = 34")
    db.conn.close()

    db = open_database(path)
    rows = dict(db.execute("SELECT story_id, alert_id FROM listed_stories").fetchall())
    assert rows == {listed[0]: 1, listed[1]: 1, "bridge": None}
    _next_digest(db, channel)
    assert set(_listed(db)) == set(listed)
    assert _latest(db).splitlines()[-1].startswith("…and 1 more (1 listed in an earlier digest)")
    db.close()
