""" "As of 2h after first report": a story starts when it was first reported, which an article
dated long before we saw it (a running explainer keeping its first version's date) must not move
back; an outlet's published time a little before our poll still counts."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from _newsroom import Newsroom

from bot.pipeline.clustering import StoryClusterer
from bot.store import articles as article_store
from bot.store import database
from bot.store import feeds as feed_store
from bot.store import stories as story_store
from bot.store.database import applied_migrations, iso, open_database
from bot.store.migrations import MIGRATIONS

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
FEEDS = {
    "alpha": ("Alpha", "https://alpha.example"),
    "beta": ("Beta", "https://beta.example"),
    "delta": ("Delta", "https://delta.example"),
}
ALPHA = (
    "Kestrel lander touches down near lunar south pole",
    "The European Space Agency said on Monday its Kestrel lander touched down near the lunar"
    " south pole after a three day descent, making it the first European craft to land there.",
)
BETA = (
    "European Kestrel lander reaches the Moon's south pole",
    "Europe's Kestrel probe landed on the Moon on Monday, space agency officials said, after a"
    " descent lasting three days. Mission controllers in Darmstadt celebrated as telemetry showed"
    " the lander upright and drawing power from its panels.",
)
# Dated with its first version, two months ago; updated today with the landing.
EXPLAINER = (
    "Kestrel lander on the Moon: what the south pole landing means",
    "Scientists hope the Kestrel lander will find water ice in permanently shadowed craters near"
    " the lunar south pole. The European probe carries a drill and a small mass spectrometer, and"
    " its landing on Monday opens a two week mission.",
)


# The feeds were first read (still empty) three months before T0: an explainer dated two months
# back, found at T0, is no backlog of theirs (see the backlog tests below).
READ_SINCE = T0 - timedelta(days=90)


async def _at_t0(room: Newsroom) -> Newsroom:
    await room.poll()  # the first read
    # The service's own first pass, started with it, may still be fetching on READ_SINCE's
    # clock: it would read what is published at T0 as of then.
    while room.service.poller.inflight:
        await asyncio.sleep(0.01)
    room.now = T0
    return room


async def test_a_stale_dated_article_joining_does_not_age_the_story(tmp_path: Path) -> None:
    async with Newsroom(tmp_path, FEEDS, READ_SINCE) as room:
        await _at_t0(room)
        room.publish("alpha", "a1", *ALPHA)
        room.publish("beta", "b1", *BETA)
        await room.poll()
        room.now += timedelta(hours=2)
        room.publish("delta", "d1", *EXPLAINER, published=T0 - timedelta(days=60))
        await room.poll()

        card = room.card()
        assert card.outlet_count == 3
        assert card.first_seen == T0
        assert card.age_label == "as of 2h after first report"


async def test_a_stale_dated_article_opening_a_story_does_not_age_it(tmp_path: Path) -> None:
    # The story's creation and its growth judge the article alike: created from it alone, then
    # refreshed, the story starts when we saw the explainer.
    async with Newsroom(tmp_path, FEEDS, READ_SINCE) as room:
        await _at_t0(room)
        room.publish("delta", "d1", *EXPLAINER, published=T0 - timedelta(days=60))
        await room.poll()
        room.now += timedelta(hours=2)

        card = room.card()
        assert card.first_seen == T0
        assert card.age_label == "as of 2h after first report"


async def test_todays_reports_join_the_story_a_stale_dated_article_opened(tmp_path: Path) -> None:
    # The clusterer's clock is the story's, too: dated two months back, the explainer's story
    # would be out of the window at once, and today's reports would open a second story.
    async with Newsroom(tmp_path, FEEDS, READ_SINCE) as room:
        await _at_t0(room)
        room.publish("delta", "d1", *EXPLAINER, published=T0 - timedelta(days=60))
        await room.poll()
        room.now += timedelta(hours=2)
        room.publish("alpha", "a1", *ALPHA)
        room.publish("beta", "b1", *BETA)
        await room.poll()

        card = room.card()  # one story: `card` unpacks exactly one
        assert card.outlet_count == 3
        assert card.first_seen == T0


def _first_report(tmp_path: Path, dates: list[tuple[datetime, datetime]]) -> datetime:
    """The first report of a story whose articles were published and seen at `dates`, in turn."""
    db = open_database(tmp_path / "nd.db")
    feed = feed_store.add_feed(db, "https://x.example/rss")
    # Read long before: none of these articles is its backlog (see the backlog tests below).
    feed_store.mark_first_read(db, feed.id, T0 - timedelta(days=90))
    stage = StoryClusterer(db, window_hours=48)
    for n, (published, seen) in enumerate(dates):
        title, text = (ALPHA, BETA)[n % 2]
        row = {
            "feed_id": feed.id,
            "source": f"outlet{n}",
            "guid": f"g{n}",
            "url": f"https://x.example/{n}",
            "canonical_url": f"https://x.example/{n}",
            "title": title,
            "text": text,
            "published": published,
            "seen_at": seen,
        }
        stage.assign(article_store.insert_new(db, [row]))
    (story,) = story_store.recent_stories(db, since=T0 - timedelta(days=90), min_sources=1)
    assert story.article_count == len(dates)
    return story.first_seen


def test_a_publication_time_within_the_window_is_the_first_report(tmp_path: Path) -> None:
    # A slow feed: published three hours before we saw it, after the story opened.
    late = (T0 - timedelta(hours=3), T0 + timedelta(hours=1))
    assert _first_report(tmp_path, [(T0, T0), late]) == T0 - timedelta(hours=3)


def test_a_publication_time_beyond_the_window_is_not(tmp_path: Path) -> None:
    stale = (T0 - timedelta(hours=49), T0 + timedelta(hours=1))
    assert _first_report(tmp_path, [(T0, T0), stale]) == T0


def test_a_publication_time_after_we_saw_it_is_not(tmp_path: Path) -> None:
    # Dated five hours ahead (a wrong time zone): the story opened when we saw it.
    assert _first_report(tmp_path, [(T0 + timedelta(hours=5), T0)]) == T0


# Two outlets' backlogs, a week apart, that share a city and an event's name but not a story.
MARATHON_BUDGET = (
    "What the city marathon is worth to Riverton, by the numbers",
    "The Riverton marathon is the region's biggest sporting weekend. It is also an economic engine"
    " for the city, filling hotels and restaurants along the riverfront route.",
)
DRONE_RACE = (
    "Drone racing night draws crowds in Riverton",
    "The marathon was not the only sporting event to draw excited crowds to Riverton last"
    " weekend. A drone racing night at the old riverfront depot sold out.",
)


async def test_a_new_feeds_backlog_keeps_its_dates(tmp_path: Path) -> None:
    # Found on the feeds' first read, both items were already there: their own dates stand. Read
    # as "now", a week apart would look simultaneous, and the two would be one story.
    async with Newsroom(tmp_path, FEEDS, T0) as room:
        room.publish("alpha", "a1", *MARATHON_BUDGET, published=T0 - timedelta(days=13))
        room.publish("beta", "b1", *DRONE_RACE, published=T0 - timedelta(days=5))
        await room.poll()

        stories = story_store.recent_stories(
            room.core.db, since=T0 - timedelta(days=90), min_sources=1
        )
        assert sorted(s.first_seen for s in stories) == [
            T0 - timedelta(days=13),
            T0 - timedelta(days=5),
        ]


def _stale_row(feed_id: int, guid: str, seen: datetime) -> dict[str, object]:
    return {
        "feed_id": feed_id,
        "source": "X",
        "guid": guid,
        "url": f"https://x.example/{guid}",
        "canonical_url": f"https://x.example/{guid}",
        "title": f"Item {guid}",
        "text": f"Text of item {guid}.",
        "published": T0 - timedelta(days=60),
        "seen_at": seen,
    }


def test_only_the_first_reads_entries_are_backlog(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    feed = feed_store.add_feed(db, "https://x.example/rss")
    window = timedelta(hours=48)
    # A feed never read: this read is its first, and what it holds its backlog.
    (first,) = article_store.insert_new(db, [_stale_row(feed.id, "first", T0)])
    feed_store.mark_first_read(db, feed.id, T0)
    later = T0 + timedelta(hours=1)
    (found_later,) = article_store.insert_new(db, [_stale_row(feed.id, "later", later)])
    assert first.in_backlog and not found_later.in_backlog
    assert first.reported_at(window) == T0 - timedelta(days=60)
    assert found_later.reported_at(window) == later
    # The same, read back from the store.
    stored = {a.id: a for a in article_store.unclustered(db)}
    assert stored[first.id].in_backlog and not stored[found_later.id].in_backlog


def test_an_upgraded_database_takes_each_feeds_first_articles_as_its_backlog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "nd.db"
    with monkeypatch.context() as patch:
        patch.setattr(database, "MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 17])
        old = open_database(path)
    for url in ("https://x.example/rss", "https://y.example/rss"):
        # As the old code stored them (today's add_feed writes columns of later migrations).
        old["feeds"].insert(  # type: ignore[union-attr]
            {"url": url, "poll_interval": 900, "origin": "cli", "created_at": iso(T0)}
        )
    read, never = feed_store.list_feeds(old)
    for guid, seen in (("first", T0), ("later", T0 + timedelta(hours=1))):
        # As the old code stored them (today's insert reads the new column).
        row = _stale_row(read.id, guid, seen)
        old["articles"].insert(  # type: ignore[union-attr]
            {
                "id": guid,
                "title_key": guid,
                **row,
                "published": iso(row["published"]),  # type: ignore[arg-type]
                "seen_at": iso(seen),
            }
        )
    old.conn.close()

    db = open_database(path)
    assert 18 in applied_migrations(db)
    since = dict(db.execute("SELECT id, first_read_at FROM feeds").fetchall())
    assert since == {read.id: iso(T0), never.id: None}
    backlog = {a.title: a.in_backlog for a in article_store.unclustered(db)}
    assert backlog == {"Item first": True, "Item later": False}
    db.conn.close()
