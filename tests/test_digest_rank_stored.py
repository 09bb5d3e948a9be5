"""A digest's cards go to what is new to the channel, and "new" is what the bot stored after the
channel's last digest ran: a story whose three reports were published minutes before the 08:00
digest but first polled at 08:05 was in no digest, and ranked as if the channel had seen all of
it (0 new sources), below any story that gained one source, so it only ever reached the list
after the cards. Old news stays old (a backlog of days-old items), and a story too small for the
channel when its last digest ran counts as wholly new. Real SQLite, the digest's own selection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils
from fakes.stories import add_channel, add_story, grow_story

from bot.models import Article
from bot.pipeline.digest_rank import new_sources
from bot.runner import digests
from bot.store import digest_runs
from bot.store.database import iso, open_database

LAST = datetime(2027, 3, 8, 8, 0, tzinfo=UTC)  # the channel's last digest ran at 08:00
NOON = LAST + timedelta(hours=4)


def _published(db: sqlite_utils.Database, story_id: str, at: datetime) -> None:
    db.execute("UPDATE articles SET published = ? WHERE story_id = ?", [iso(at), story_id])


def test_reports_published_before_the_digest_but_stored_after_it_are_new(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    digest_runs.record_digest_run(db, channel.id, scheduled_for=LAST, now=LAST, stories=2)
    # The channel could have seen this one at 08:00 with two sources; it gained one since.
    add_story(db, "grown", ["A", "B"], now=LAST - timedelta(hours=1))
    grow_story(db, "grown", ["C"], now=LAST + timedelta(hours=3))
    # Three outlets published 07:50-07:58, polled at 08:05: never in any digest.
    add_story(db, "late", ["D", "E", "F"], now=LAST + timedelta(minutes=5))
    _published(db, "late", LAST - timedelta(minutes=5))
    selection = digests.digest_selection(db, channel, now=NOON, default_size=1)
    assert [c.story.id for c in selection.chosen] == ["late"]
    assert [c.story.id for c in selection.overflow] == ["grown"]


def report(source: str, *, stored: datetime, published: datetime | None = None) -> Article:
    return Article(id=source, source=source, title="t", text="", seen=stored, published=published)


def test_new_sources_count_by_when_they_were_stored() -> None:
    late = [
        report(s, stored=LAST + timedelta(minutes=5), published=LAST - timedelta(minutes=9 - i))
        for i, s in enumerate("DEF")
    ]
    assert new_sources(late, LAST) == 3
    # A new feed's first poll of four-day-old items is old news, whenever it was stored.
    backlog = [
        report(s, stored=LAST + timedelta(hours=1), published=LAST - timedelta(days=4))
        for s in "GHI"
    ]
    assert new_sources(backlog, LAST) == 0
    assert new_sources([*backlog, report("J", stored=LAST + timedelta(hours=2))], LAST) == 1


def test_a_story_too_small_for_the_channel_then_is_wholly_new() -> None:
    story = [
        report("A", stored=LAST - timedelta(hours=2)),
        report("B", stored=LAST + timedelta(hours=1)),
        report("C", stored=LAST + timedelta(hours=2)),
    ]
    # A min-sources-1 channel could have had it at 08:00 with one source; one of 2 could not.
    assert new_sources(story, LAST, min_sources=1) == 2
    assert new_sources(story, LAST, min_sources=2) == 3


def test_stories_equal_in_new_sources_and_newest_report_go_by_their_total(tmp_path: Path) -> None:
    """Third key: the story more outlets carry comes first, whatever its id, so a preview and
    the digest it previews pick the same cards."""
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    digest_runs.record_digest_run(db, channel.id, scheduled_for=LAST, now=LAST, stories=2)
    earlier, since = LAST - timedelta(hours=1), LAST + timedelta(hours=2)
    # Each gained one outlet since the last digest, at the same minute; 4 in all against 3.
    add_story(db, "a-smaller", ["A", "B"], now=earlier)
    grow_story(db, "a-smaller", ["C"], now=since)
    add_story(db, "b-bigger", ["D", "E", "F"], now=earlier)
    grow_story(db, "b-bigger", ["G"], now=since)
    selection = digests.digest_selection(db, channel, now=NOON, default_size=1)
    assert [c.story.id for c in selection.chosen] == ["b-bigger"]
    assert [c.story.id for c in selection.overflow] == ["a-smaller"]
