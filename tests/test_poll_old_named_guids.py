"""A GUID of its own (or a link) holding a terminal colour code. Before control characters were
dropped from a feed, libxml2 dropped only the ESC of "ESC [31m" and kept "[31m" in the GUID; now
the whole code goes, so the GUID changed with the upgrade. Such an entry stored by the old version
must not come back as a new article when nothing else recognises it (no link of its own, undated
and first seen days ago). Real loopback server, real SQLite; the old version's parse is the
current one without `drop_controls`, which is all that changed in it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest import parser
from bot.pipeline.poll import PollReport, poll_feeds
from bot.store import duplicates, tombstones
from bot.store import feeds as feed_store

T0 = datetime(2030, 5, 6, 8, 0, tzinfo=UTC)
POLLING = PollingConfig(allow_private_networks=True, timeout=5.0)

ITEMS = [
    # A named GUID with a colour code around its number; no link, undated.
    '<item><title>Boil-water advice lifted</title><guid isPermaLink="false">'
    "notice-{red}1187{reset}</guid><description>Tap water is safe to drink again in the"
    " east ward.</description></item>",
    # A named GUID without a code: the same before and after.
    '<item><title>Road works on Mill Lane</title><guid isPermaLink="false">notice-1186</guid>'
    "<description>Expect delays near the school until Friday.</description></item>",
    # No guid: known by its link, which held a colour code, as did its title.
    "<item><title>{red}Storm{reset} warning</title>"
    "<link>https://council.example/notices/storm{bold}</link>"
    "<description>High winds are expected overnight.</description></item>",
]


def _rss(*, codes: bool = True) -> bytes:
    marks = {"red": "\x1b[31m", "reset": "\x1b[0m", "bold": "\x1b[1m"}
    if not codes:
        marks = dict.fromkeys(marks, "")
    items = "".join(item.format(**marks) for item in ITEMS)
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Council notices</title><link>https://council.example/</link>{items}"
        "</channel></rss>"
    ).encode()


async def _poll(db: sqlite_utils.Database, now: datetime) -> PollReport:
    return await poll_feeds(db, POLLING, feeds=feed_store.list_feeds(db), now=now)


def _guids(db: sqlite_utils.Database) -> set[str]:
    return {guid for (guid,) in db.execute("SELECT guid FROM articles")}


@pytest.fixture
def old_parse(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setattr(parser, "drop_controls", lambda body: body)
    return monkeypatch


async def test_a_named_guid_with_a_colour_code_is_not_posted_again_after_the_upgrade(
    server: FeedServer, db: sqlite_utils.Database, old_parse: pytest.MonkeyPatch
) -> None:
    server.route("/notices", Reply(body=_rss()))
    feed_store.add_feed(db, server.url("/notices"))
    assert len((await _poll(db, T0)).new_articles) == 3
    # What the old version stored: the codes' ESC dropped, the rest kept.
    assert _guids(db) == {
        "notice-[31m1187[0m",
        "notice-1186",
        "https://council.example/notices/storm[1m",
    }
    ids = {key for (key,) in db.execute("SELECT id FROM articles")}
    old_parse.undo()

    # Ten days on: outside the title check's window for the undated entries.
    upgraded = await _poll(db, T0 + timedelta(days=10))

    assert upgraded.new_articles == []
    # The stored articles take the GUIDs of now and keep their ids (stories know them so).
    assert _guids(db) == {
        "notice-1187",
        "notice-1186",
        "https://council.example/notices/storm",
    }
    assert {key for (key,) in db.execute("SELECT id FROM articles")} == ids

    # The feed drops its colour codes: no old GUID is worked out any more, and the articles
    # are known by the GUIDs they took.
    server.route("/notices", Reply(body=_rss(codes=False)))
    cleaned = await _poll(db, T0 + timedelta(days=20))
    assert cleaned.new_articles == []
    assert db["articles"].count == 3


async def test_a_pruned_entry_tombstoned_under_its_old_named_guid_is_not_new(
    server: FeedServer, db: sqlite_utils.Database, old_parse: pytest.MonkeyPatch
) -> None:
    server.route("/notices", Reply(body=_rss()))
    feed_store.add_feed(db, server.url("/notices"))
    await _poll(db, T0)
    # Retention deleted the boil-water notice, as it would: a tombstone under its article's id.
    key, feed_id, title = db.execute(
        "SELECT id, feed_id, title FROM articles WHERE guid LIKE 'notice-[31m%'"
    ).fetchone()
    tombstones.record(
        db, [tombstones.Tombstone(key, feed_id, None, duplicates.title_key(title))], now=T0
    )
    db.execute("DELETE FROM articles WHERE id = ?", [key])
    old_parse.undo()

    upgraded = await _poll(db, T0 + timedelta(days=10))

    assert upgraded.new_articles == []
    # Nor once the feed drops the code: the entry is tombstoned under the id of now too.
    server.route("/notices", Reply(body=_rss(codes=False)))
    assert (await _poll(db, T0 + timedelta(days=12))).new_articles == []


def test_the_old_named_guid_is_worked_out_only_where_it_changed() -> None:
    feed = parser.parse_feed(_rss(), url="https://council.example/rss")
    assert all(e.old_guid is None for e in feed.entries)  # left for when one is needed
    parser.add_old_guids(feed)
    boil, road, storm = feed.entries
    assert (boil.guid, boil.old_guid) == ("notice-1187", "notice-[31m1187[0m")
    assert road.old_guid is None
    assert storm.guid == "https://council.example/notices/storm"
    assert storm.old_guid == "https://council.example/notices/storm[1m"
    clean = parser.parse_feed(_rss(codes=False), url="https://council.example/rss")
    assert clean.pending_old_guids is None
    assert [e.guid for e in clean.entries] == [e.guid for e in feed.entries]
