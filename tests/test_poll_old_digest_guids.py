"""An entry with no id and no link of its own is known by a digest of its title and text. Before
control characters were dropped from a feed, one of them garbled the text of the entries after
it, so the digest changed with the upgrade: such an entry stored by the old version must not
come back as a new article when the title check cannot catch it (undated and first seen days
ago, or a title that held a colour code). Real loopback server, real SQLite; the old version's
parse is the current one without `drop_controls`, which is all that changed in it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest import parser
from bot.pipeline.poll import PollReport, poll_feeds
from bot.store import duplicates, retention, tombstones
from bot.store import feeds as feed_store

T0 = datetime(2030, 3, 2, 9, 0, tzinfo=UTC)
POLLING = PollingConfig(allow_private_networks=True, timeout=5.0)

ITEMS = [
    # A GUID of its own: known by it whatever its text.
    "<item><title>Harbour plan approved</title><guid>hp-1</guid>"
    "<link>https://town.example/hp</link><pubDate>Thu, 28 Feb 2030 09:00:00 GMT</pubDate>"
    "<description>&lt;p&gt;Council voted{c1} on Monday.&lt;/p&gt;"
    "&lt;blockquote&gt;Good news&lt;/blockquote&gt;</description></item>",
    # No guid, no link, undated: the title check is bounded to days around the poll.
    "<item><title>Library hours extended</title><description>&lt;p&gt;Open late{c2} now."
    "&lt;/p&gt;&lt;p&gt;Sundays too&lt;/p&gt;</description></item>",
    # No guid, no link, dated, a colour code in the title: the old title is not this one.
    "<item><title>{bold}Breaking{plain}: bridge closed</title>"
    "<pubDate>Fri, 01 Mar 2030 09:00:00 GMT</pubDate>"
    "<description>&lt;p&gt;Traffic is diverted&lt;/p&gt;&lt;p&gt;via the ring road.&lt;/p&gt;"
    "</description></item>",
]


def _rss(*, controls: bool = True) -> bytes:
    marks = {"c1": "\x01", "c2": "\x02", "bold": "\x1b[1m", "plain": "\x1b[0m"}
    if not controls:
        marks = dict.fromkeys(marks, "")
    items = "".join(item.format(**marks) for item in ITEMS)
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Town desk</title><link>https://town.example/</link>{items}</channel></rss>"
    ).encode()


async def _poll(db: sqlite_utils.Database, now: datetime) -> PollReport:
    return await poll_feeds(db, POLLING, feeds=feed_store.list_feeds(db), now=now)


def _stored(db: sqlite_utils.Database) -> dict[str, tuple[str, str]]:
    rows = db.execute("SELECT guid, title, text FROM articles ORDER BY title").fetchall()
    return {title: (guid, text) for guid, title, text in rows}


@pytest.fixture
def old_parse(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setattr(parser, "drop_controls", lambda body: body)
    return monkeypatch


async def test_entries_stored_by_the_old_parse_are_not_new_after_the_upgrade(
    server: FeedServer, db: sqlite_utils.Database, old_parse: pytest.MonkeyPatch
) -> None:
    server.route("/desk", Reply(body=_rss()))
    feed_store.add_feed(db, server.url("/desk"))
    first = await _poll(db, T0)
    assert len(first.new_articles) == 3
    before = _stored(db)
    # The old version's garbling, which gave these entries their stored GUIDs.
    assert "[1mBreaking[0m: bridge closed" in before
    assert before["Library hours extended"][1] == "pOpen late now./ppSundays too/p"
    old_parse.undo()

    # Ten days on: outside the title check's window for the undated entry.
    upgraded = await _poll(db, T0 + timedelta(days=10))

    assert upgraded.new_articles == []
    after = _stored(db)
    assert len(after) == 3
    # The stored articles take the clean text, as a correction, and the digest GUIDs of now.
    assert after["Library hours extended"][1] == "Open late now.\nSundays too"
    assert "Breaking: bridge closed" in after
    assert after["Library hours extended"][0] != before["Library hours extended"][0]

    # The feed drops its control characters: nothing works out an old GUID any more, and
    # the articles are known by the GUIDs they took.
    server.route("/desk", Reply(body=_rss(controls=False)))
    cleaned = await _poll(db, T0 + timedelta(days=20))
    assert cleaned.new_articles == []
    assert len(_stored(db)) == 3


async def test_a_pruned_entry_tombstoned_under_its_old_guid_is_not_new(
    server: FeedServer, db: sqlite_utils.Database, old_parse: pytest.MonkeyPatch
) -> None:
    server.route("/desk", Reply(body=_rss()))
    feed_store.add_feed(db, server.url("/desk"))
    await _poll(db, T0)
    # Retention deleted the undated entry, as it would: a tombstone under its article's id.
    (key, feed_id, title) = db.execute(
        "SELECT id, feed_id, title FROM articles WHERE title = 'Library hours extended'"
    ).fetchone()
    tombstones.record(
        db,
        [tombstones.Tombstone(key, feed_id, None, duplicates.title_key(title))],
        now=T0,
    )
    db.execute("DELETE FROM articles WHERE id = ?", [key])
    old_parse.undo()

    upgraded = await _poll(db, T0 + timedelta(days=10))

    assert upgraded.new_articles == []


def test_the_old_guid_is_worked_out_only_where_the_text_changed() -> None:
    feed = parser.parse_feed(_rss(), url="https://town.example/rss")
    assert all(e.old_guid is None for e in feed.entries)  # left for when one is needed
    parser.add_old_guids(feed)
    harbour, library, bridge = feed.entries
    assert harbour.old_guid is None  # its own GUID
    assert library.old_guid and library.old_guid != library.guid
    assert bridge.old_guid and bridge.old_guid != bridge.guid
    clean = parser.parse_feed(_rss(controls=False), url="https://town.example/rss")
    assert clean.pending_old_guids is None
    parser.add_old_guids(clean)
    assert [e.old_guid for e in clean.entries] == [None, None, None]
    assert [e.guid for e in clean.entries] == [e.guid for e in feed.entries]


async def test_an_article_that_took_its_new_guid_and_was_pruned_is_not_new(
    server: FeedServer, db: sqlite_utils.Database, old_parse: pytest.MonkeyPatch
) -> None:
    server.route("/desk", Reply(body=_rss()))
    feed_store.add_feed(db, server.url("/desk"))
    await _poll(db, T0)
    old_parse.undo()
    await _poll(db, T0 + timedelta(days=1))  # the articles take their new GUIDs
    # Retention deletes them (unclustered, seen 40 days before), then the feed drops its
    # control characters: no old GUID is worked out, and the articles' ids are the old ones.
    later = T0 + timedelta(days=40)
    retention.prune(db, now=later, older_than=timedelta(days=30), window=timedelta(days=2))
    assert _stored(db) == {}
    server.route("/desk", Reply(body=_rss(controls=False)))

    report = await _poll(db, later)

    assert report.new_articles == []
