"""A recount changes how a story's articles count, not what they are: a posted card whose count
it changes is edited once, silently, and its thread gets no "joined" reply for it, then or
later; a recount that changes nothing shown edits nothing; and after an upgrade (migration 51)
the polls count the open stories again, so a count an older version left stale is put right
without waiting for the story to grow.

Three publishers' feeds served on loopback (the strike story of `test_item_site_outlets`),
polled by a real NewsDigest into a real SQLite file; the real planner and outbox post through
the Slack adapter (slack-sdk over HTTP) to the fake Web API, and the assertions are on the JSON
it received."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel, grow_story, make_card_source
from test_item_site_outlets import REPORTS, _feed

from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.app import NewsDigest
from bot.cli import cli
from bot.config import Config, FeedConfig, PollingConfig
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.feedserver import FeedServer
from bot.pipeline.clustering import DEFAULT_WINDOW
from bot.pipeline.digest import MAX_LOOKBACK
from bot.pipeline.story_upkeep import recount_stories, refresh_counts
from bot.runner import update_planner
from bot.store import database, stale_counts
from bot.store import deliveries as delivery_store
from bot.store import feeds as feed_store
from bot.store import stories as story_store
from bot.store.database import iso, open_database, utcnow
from bot.store.migrations import MIGRATIONS
from tests._cli_env import cli_env

HOUR = timedelta(hours=1)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        for name in REPORTS:
            # The three publishers' items on the one site their shared link names: one outlet.
            srv.route(f"/{name}.xml", _feed(name, "http://cms.example/", item_site="cms.example"))
        yield srv


class Team:
    """The three feeds polled into `path`; one Slack channel, C1, that was posted the story."""

    def __init__(self, server: FeedServer, fake: FakeSlackAPI, path: Path) -> None:
        self.server, self.fake, self.path = server, fake, path
        self.now = utcnow().replace(microsecond=0)
        self.config = Config(
            database=str(path),
            polling=PollingConfig(allow_private_networks=True, timeout=5.0),
            feeds=[FeedConfig(url=server.url(f"/{name}.xml")) for name in REPORTS],
        )
        self.open()

    def open(self) -> None:
        """A (re)started process on the file: the core, and an outbox posting to the fake."""
        self.core = NewsDigest(self.config, db=open_database(self.path))
        self.core.sync_config()
        self.db = self.core.db
        self.channel = add_channel(self.db, "C1")
        client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=self.fake.api_url))
        adapter = SlackAdapter(client, pacer=ChannelPacer(0), sleep=self._no_sleep)
        self.outbox = Outbox(
            self.db,
            make_card_source(self.db, self.now),
            settings=OutboxSettings(pace=0, update_interval=HOUR),
            clock=lambda: self.now,
        )
        self.outbox.register(adapter)

    def close(self) -> None:
        self.core.close()

    async def _no_sleep(self, seconds: float) -> None:
        return None

    async def poll(self) -> None:
        """Every feed polled, then the planner on what the pass touched, then the outbox."""
        report = await self.core.poll(feeds=feed_store.list_feeds(self.db), now=self.now)
        update_planner.enqueue_updates(self.db, report.touched_stories, now=self.now, interval=HOUR)
        await self.outbox.drain()

    def story_id(self) -> str:
        (row,) = self.db.execute("SELECT id FROM stories WHERE slug LIKE 'veltmark%'").fetchall()
        return str(row[0])

    def stored_sources(self) -> int:
        story = story_store.get_story(self.db, self.story_id())
        assert story is not None
        return story.source_count

    async def post_card(self) -> dict[str, Any]:
        delivery_store.enqueue_story(self.db, self.story_id(), self.channel.id, now=self.now)
        await self.outbox.drain()
        (card,) = self.fake.calls_to("chat.postMessage")
        return card

    def give_own_links(self) -> None:
        """Each publisher's feed now links its own site (its items still on cms.example)."""
        for name, (_title, site, _headline, _text) in REPORTS.items():
            self.server.route(
                f"/{name}.xml", _feed(name, f"http://{site}/", item_site="cms.example")
            )


def count_line(message: dict[str, Any]) -> str:
    """The card's "N sources tracking this story" line, as the fake received it."""
    found = re.search(r"\d+ sources? tracking this story[^\"*_]*", str(message["blocks"]))
    assert found, message["blocks"]
    return found.group(0)


@pytest.fixture
async def team(server: FeedServer, slack_api: FakeSlackAPI, tmp_path: Path) -> AsyncIterator[Team]:
    world = Team(server, slack_api, tmp_path / "nd.db")
    yield world
    world.close()


async def test_a_recount_edits_the_posted_card_once_and_replies_nothing(
    team: Team, slack_api: FakeSlackAPI
) -> None:
    await team.poll()
    assert team.stored_sources() == 1
    card = await team.post_card()
    assert count_line(card).startswith("1 source tracking this story")
    # The feeds' own links: three outlets now, with no new article. The poll counts the story
    # again and the card is edited to say so, in place.
    team.give_own_links()
    team.now += HOUR
    await team.poll()
    assert team.stored_sources() == 3
    # The card as posted, its count made 3, edited in place.
    said = json.dumps(card["blocks"]).replace("*1 source tracking", "*3 sources tracking")
    assert slack_api.calls_to("chat.update") == [
        {
            "channel": "C1",
            "ts": slack_api.messages["C1"][0]["ts"],
            "text": card["text"].replace("(1 source)", "(3 sources)"),
            "blocks": json.loads(said),
        }
    ]
    # Once: later passes, and the planner looking at the story as a later touch would, find
    # nothing to edit and nothing to reply (the recount is no news).
    for _ in range(2):
        team.now += HOUR
        await team.poll()
        update_planner.enqueue_updates(team.db, {team.story_id()}, now=team.now, interval=HOUR)
        await team.outbox.drain()
    assert len(slack_api.calls_to("chat.update")) == 1
    assert len(slack_api.calls_to("chat.postMessage")) == 1  # the card alone: no reply


async def test_growth_after_a_recount_is_told_without_the_recounted_outlets(
    team: Team, slack_api: FakeSlackAPI
) -> None:
    await team.poll()
    await team.post_card()
    team.give_own_links()
    team.now += HOUR
    await team.poll()
    # A fourth outlet joins: its reply names it alone, not the two the recount showed.
    team.now += 2 * HOUR
    grow_story(team.db, team.story_id(), ["Delta Wire"], now=team.now)
    refresh_counts(team.db, team.story_id(), window=DEFAULT_WINDOW)
    update_planner.enqueue_updates(team.db, {team.story_id()}, now=team.now, interval=HOUR)
    await team.outbox.drain()
    (_card, reply) = slack_api.calls_to("chat.postMessage")
    lead = reply["blocks"][0]["text"]["text"]
    assert lead.startswith("*Update:* Delta Wire joined."), lead


async def test_a_recount_that_changes_nothing_shown_edits_nothing(
    team: Team, slack_api: FakeSlackAPI
) -> None:
    await team.poll()
    await team.post_card()
    # All three move to another shared link together: a new outlet key, still one outlet.
    for name in REPORTS:
        team.server.route(
            f"/{name}.xml", _feed(name, "http://cms2.example/", item_site="cms2.example")
        )
    team.now += HOUR
    await team.poll()
    assert team.stored_sources() == 1
    assert slack_api.calls_to("chat.update") == []
    # A story stale in the store but posted with the right count (the card counts its
    # articles' outlets as they are): the recount changes the stored count, not the card.
    story_id = team.story_id()
    team.give_own_links()
    team.now += HOUR
    await team.poll()  # the card is edited to 3 here: the setup for the next step
    assert len(slack_api.calls_to("chat.update")) == 1
    team.db.execute(
        "UPDATE stories SET source_count = 1, outlet_count = 1 WHERE id = ?", [story_id]
    )
    assert recount_stories(team.db, [story_id], now=team.now) == {story_id}
    await team.outbox.drain()
    assert team.stored_sources() == 3
    assert len(slack_api.calls_to("chat.update")) == 1


async def test_after_the_upgrade_the_polls_put_an_old_stale_count_right(
    team: Team, slack_api: FakeSlackAPI
) -> None:
    await team.poll()
    card = await team.post_card()
    assert count_line(card).startswith("1 source tracking this story")
    # An older version polled the feeds' new links and counted nothing again: their stored
    # site links changed, the story's count and card stayed at one.
    team.give_own_links()
    for feed in feed_store.list_feeds(team.db):
        name = feed.url.rsplit("/", 1)[-1].removesuffix(".xml")
        team.db.execute(
            "UPDATE feeds SET site_url = ? WHERE id = ?", [f"http://{REPORTS[name][1]}/", feed.id]
        )
    # ... and its schema stopped at 50.
    team.db.execute("DELETE FROM schema_migrations WHERE version = 51")
    team.db.execute("DROP TABLE stories_to_recount")
    team.close()
    team.open()  # the upgrade: migration 51 lists the open story
    assert team.stored_sources() == 1
    team.now += HOUR
    await team.poll()  # no feed's outlet changes in this poll: the list is what recounts
    assert team.stored_sources() == 3
    (edit,) = slack_api.calls_to("chat.update")
    assert edit["ts"] == slack_api.messages["C1"][0]["ts"]
    assert count_line(edit).startswith("3 sources tracking this story")
    assert team.db.execute("SELECT COUNT(*) FROM stories_to_recount").fetchone()[0] == 0
    team.now += HOUR
    await team.poll()
    assert len(slack_api.calls_to("chat.update")) == 1
    assert len(slack_api.calls_to("chat.postMessage")) == 1


def test_the_upgrade_lists_the_stories_a_digest_can_show(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert stale_counts.LOOKBACK == MAX_LOOKBACK
    db = open_database(tmp_path / "nd.db")
    now = utcnow()
    for story_id, age in (("fresh", HOUR), ("old", MAX_LOOKBACK + HOUR), ("gone", HOUR)):
        story_store.create_story(db, story_id, story_id, story_id, now - age)
        db.execute("UPDATE stories SET last_updated = ? WHERE id = ?", [iso(now - age), story_id])
    db.execute("UPDATE stories SET merged_into = 'fresh' WHERE id = 'gone'")
    # Only the migration's own words: an earlier test may have left INFO on for the
    # whole store, and opening the database above logs every migration.
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="bot.store.stale_counts"):
        stale_counts.m051_stories_to_recount(db, now=now)
    # Logged by the migration itself, so `run` says how many as the command line does.
    assert [r.getMessage() for r in caplog.records] == [
        "after the upgrade, open stories' sources to count again by the next polls: 1"
    ]
    assert stale_counts.listed(db, 10) == [("fresh", True)]
    assert stale_counts.take_off(db, ["fresh"]) == 0
    assert stale_counts.listed(db, 10) == []


async def test_a_recount_that_fails_loses_nothing_of_the_poll(
    team: Team, slack_api: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    await team.poll()
    await team.post_card()

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("a bug in planning the edits")

    monkeypatch.setattr(update_planner, "edit_recounted_cards", broken)
    team.give_own_links()
    team.server.route(
        "/alpha.xml",
        _feed("alpha", "http://alphapost.example/", item_site="cms.example").replace(
            b"<item>",
            b"<item><title>Alpha Post ferry timetable</title><link>"
            b"http://cms.example/alpha/9</link><guid>alpha-9</guid></item><item>",
            1,
        ),
    )
    team.now += HOUR
    await team.poll()
    # The polls stored what they fetched and their feeds' new links; the recount's writes
    # were undone whole (the count stays, no edit was queued) rather than the polls'.
    assert (
        team.db.execute("SELECT COUNT(*) FROM articles WHERE guid = 'alpha-9'").fetchone()[0] == 1
    )
    assert {f.site_url for f in feed_store.list_feeds(team.db)} == {
        f"http://{site}/" for _t, site, _h, _x in REPORTS.values()
    }
    assert all(f.last_error is None for f in feed_store.list_feeds(team.db))
    assert team.stored_sources() == 1
    assert slack_api.calls_to("chat.update") == []


def test_a_command_that_migrates_to_51_says_the_next_poll_recounts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (stale_counts.MIGRATION, "open stories listed to have their sources counted again") in [
        (number, name) for number, name, _ in MIGRATIONS
    ]
    cli_env(tmp_path, monkeypatch)
    path = tmp_path / "nd.db"
    with monkeypatch.context() as patch:
        patch.setattr(database, "MIGRATIONS", [m for m in MIGRATIONS if m[0] < 51])
        db = open_database(path)
    now = utcnow()
    for story_id in ("s1", "s2"):
        story_store.create_story(db, story_id, story_id, story_id, now)
        db.execute("UPDATE stories SET last_updated = ? WHERE id = ?", [iso(now), story_id])
    db.conn.close()

    result = CliRunner().invoke(cli, ["stories"])
    assert result.exit_code == 0, result.output
    assert (
        "The sources of 2 open stories are counted again by the next polls (`newsdigest poll`,"
        " or `run`'s passes), a batch at each feed's poll, in case a feed's site link changed"
        " before the upgrade\n"
    ) in result.stderr
    assert "counted again" not in CliRunner().invoke(cli, ["stories"]).stderr
