"""A recount's loose ends: a channel that muted the story is told the new count too, so its unmute
replies nothing; a recount that lifts a fresh story over an instant channel's minimum gets it
posted by the pass; one story whose recount fails is set aside, the rest of the upgrade's list
and the feed's own recount go on; a database error that undid the whole transaction surfaces as
itself; and the upgrade's batch stops once it has done its share of work.

The three publishers' feeds of `test_recount_card_edits` (their `Team`), polled by a real
NewsDigest into a real SQLite file and posted through the Slack adapter to the fake Web API."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from fakes.chat import FakeChatAdapter
from fakes.slack_api import FakeSlackAPI
from fakes.stories import add_story
from test_item_site_outlets import REPORTS, _feed
from test_recount_card_edits import HOUR, Team, count_line

from bot.app import NewsDigest, PassReport
from bot.config import ChannelConfig, Config
from bot.feedserver import FeedServer
from bot.models import Article
from bot.pipeline import story_upkeep
from bot.pipeline.poll import PollReport
from bot.runner import unmutes
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import articles as article_store
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store import stale_counts
from bot.store import stories as story_store
from bot.store.database import open_database, transaction, utcnow

T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        for name in REPORTS:
            # The three publishers' items on the one site their shared link names: one outlet.
            srv.route(f"/{name}.xml", _feed(name, "http://cms.example/", item_site="cms.example"))
        yield srv


@pytest.fixture
async def team(feeds: FeedServer, slack_api: FakeSlackAPI, tmp_path: Path) -> AsyncIterator[Team]:
    world = Team(feeds, slack_api, tmp_path / "nd.db")
    yield world
    world.close()


async def test_an_unmute_after_a_recount_edits_the_card_and_replies_nothing(
    team: Team, slack_api: FakeSlackAPI
) -> None:
    await team.poll()
    await team.post_card()
    story = team.story_id()
    channel_store.mute_story(team.db, team.channel.id, story)
    team.give_own_links()  # no article joins: the feeds' outlets are decided anew
    team.now += HOUR
    await team.poll()
    assert team.stored_sources() == 3
    team.now += 3 * HOUR
    done = unmutes.unmute(team.db, team.channel, story, now=team.now, interval=HOUR)
    await team.outbox.drain()
    assert done.catch_up == unmutes.CatchUp.EDIT
    assert len(slack_api.calls_to("chat.postMessage")) == 1  # the card: no "joined" reply
    (edit,) = slack_api.calls_to("chat.update")
    assert count_line(edit).startswith("3 sources tracking this story")


def _listed_stories(path: Path, count: int) -> sqlite_utils.Database:
    """`count` open stories of two outlets each, s00 the newest, counted as one source (an older
    version's stale count) and listed by migration 51 as an upgrade does."""
    db = open_database(path)
    now = utcnow()
    for i in range(count):
        story_id = f"s{i:02d}"
        add_story(db, story_id, ["Alpha Post", "Beta Herald"], now=now - timedelta(minutes=i))
    db.execute("UPDATE stories SET source_count = 1, outlet_count = 1")
    stale_counts.m051_stories_to_recount(db, now=now)
    return db


def _listed(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM stories_to_recount").fetchone()[0])


def _poll_recounts(db: sqlite_utils.Database, feed_ids: list[int]) -> set[str]:
    """What a feed's poll does after storing its entries, in its write transaction."""
    with transaction(db):
        return story_upkeep.recount_feed_stories(db, feed_ids, now=utcnow())


def _no_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch's clock stands still: a loaded machine's slowness bounds no batch here."""
    monkeypatch.setattr(story_upkeep, "_clock", lambda: 0.0, raising=False)


def test_a_story_whose_recount_fails_is_set_aside_and_the_list_drains(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _no_time(monkeypatch)
    db = _listed_stories(tmp_path / "nd.db", 60)
    real = article_store.story_articles

    def story_articles(db_: sqlite_utils.Database, story_id: str) -> list[Article]:
        if story_id == "s00":  # the newest, first in every batch
            raise ValueError("an article an older version stored oddly")
        return real(db_, story_id)

    monkeypatch.setattr(article_store, "story_articles", story_articles)
    changed = _poll_recounts(db, [])
    assert _listed(db) == 10  # the first 50 taken off, the failing one with them
    assert changed == {f"s{i:02d}" for i in range(1, 50)}
    assert all(story_store.get_story(db, s).source_count == 2 for s in changed)  # type: ignore[union-attr]
    assert story_store.get_story(db, "s00").source_count == 1  # type: ignore[union-attr]
    assert _poll_recounts(db, []) == {f"s{i:02d}" for i in range(50, 60)}
    assert _listed(db) == 0
    failed = [r for r in caplog.records if "counting story s00's sources again failed" in r.message]
    assert len(failed) == 1  # logged once: not tried again at every poll


async def test_a_failing_listed_story_leaves_the_feeds_own_recount_standing(
    team: Team, slack_api: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_time(monkeypatch)
    await team.poll()
    await team.post_card()
    story_store.create_story(team.db, "odd", "odd", "Odd", team.now)
    stale_counts.m051_stories_to_recount(team.db, now=team.now)
    real = article_store.story_articles

    def story_articles(db_: sqlite_utils.Database, story_id: str) -> list[Article]:
        if story_id == "odd":
            raise ValueError("an article an older version stored oddly")
        return real(db_, story_id)

    monkeypatch.setattr(article_store, "story_articles", story_articles)
    team.give_own_links()
    team.now += HOUR
    await team.poll()
    # The feeds' new links counted the story again, and its card was edited so.
    assert team.stored_sources() == 3
    (edit,) = slack_api.calls_to("chat.update")
    assert count_line(edit).startswith("3 sources tracking this story")
    assert _listed(team.db) == 0


def test_a_database_error_that_undid_the_transaction_surfaces_as_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_time(monkeypatch)
    db = _listed_stories(tmp_path / "nd.db", 3)
    real = article_store.story_articles

    def story_articles(db_: sqlite_utils.Database, story_id: str) -> list[Article]:
        if story_id == "s01":
            # What SQLite does on SQLITE_IOERR or SQLITE_NOMEM: the whole transaction undone.
            db_.conn.execute("ROLLBACK")
            raise sqlite3.OperationalError("disk I/O error")
        return real(db_, story_id)

    monkeypatch.setattr(article_store, "story_articles", story_articles)
    with pytest.raises(sqlite3.OperationalError, match="disk I/O error"):
        _poll_recounts(db, [])
    assert _listed(db) == 3  # nothing of the poll's transaction stayed


def test_the_upgrade_batch_stops_once_it_has_done_its_share_of_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _listed_stories(tmp_path / "nd.db", 60)
    spent = [0.0]
    real = story_upkeep.recount_stories

    def costly(db_: sqlite_utils.Database, story_ids: list[str], *, now: datetime) -> set[str]:
        spent[0] += 0.02  # each story's recount and card edits, 20 ms of the poll's lock
        return real(db_, story_ids, now=now)

    monkeypatch.setattr(story_upkeep, "recount_stories", costly)
    monkeypatch.setattr(story_upkeep, "_clock", lambda: spent[0], raising=False)
    monkeypatch.setattr(story_upkeep, "LISTED_WORK", 0.05, raising=False)
    # 0, 20 and 40 ms in when each began: the fourth waits for the next feed's poll.
    assert _poll_recounts(db, []) == {"s00", "s01", "s02"}
    assert _listed(db) == 57
    assert _poll_recounts(db, []) == {"s03", "s04", "s05"}
    # However slow, a poll counts one story: the list always drains.
    monkeypatch.setattr(story_upkeep, "LISTED_WORK", 0.0)
    assert _poll_recounts(db, []) == {"s06"}


async def test_a_poll_reports_the_stories_its_recount_changed(team: Team) -> None:
    team.now = datetime(2026, 12, 1, 2, 30, tzinfo=UTC)  # the feeds' reports within 6 h
    await team.poll()
    assert team.stored_sources() == 1
    team.give_own_links()
    team.now += HOUR / 2
    report = await team.core.poll(feeds=feed_store.list_feeds(team.db), now=team.now)
    assert team.stored_sources() == 3
    # No article joined: nothing touched, but the pass knows what its recount changed.
    assert report.touched_stories == set()
    assert report.poll.recounted == {team.story_id()}


async def test_a_recount_that_lifts_a_story_over_min_sources_posts_it_in_instant_mode(
    tmp_path: Path,
) -> None:
    config = Config(
        database=str(tmp_path / "nd.db"),
        channels=[ChannelConfig(platform="slack", id="C3", mode="instant", min_sources=2)],
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    service = Service(
        config,
        core=core,
        settings=RunnerSettings(health_port=None, post_pace=0),
        clock=lambda: T0,
        env={},
    )
    chat = FakeChatAdapter("slack")
    service.register_adapter(chat)
    await service.start()
    try:
        add_story(service.db, "s1", ["Alpha Post", "Beta Herald"], now=T0)
        # A pass whose polls' recount took s1 from one source to two; no article joined it.
        await service.on_poll_pass(
            PassReport(poll=PollReport(recounted={"s1"}), touched_stories=set())
        )
        await service.outbox.drain()
    finally:
        await service.stop()
        core.close()
    assert [m.story_id for m in chat.cards()] == ["s1"]
