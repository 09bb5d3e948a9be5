"""Items that are anchors on one page (a changelog's `page#v2`, a one-page blog's `page#post`)
are told apart by their fragment: the GUID keeps it, only the stored URL drops it. Entries stored
before that rule, under the bare link, are not stored again. Real loopback feed server, real SQLite.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest import entries
from bot.ingest.parser import parse_feed
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store

POLLING = PollingConfig(allow_private_networks=True, timeout=30.0)
T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)


def _rss(items: list[tuple[str, str, datetime]], *, guid: bool = True) -> bytes:
    """Items (link, title, date); the link doubles as a permalink GUID when `guid`."""
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link>"
        + (f'<guid isPermaLink="true">{link}</guid>' if guid else "")
        + f"<pubDate>{format_datetime(when)}</pubDate>"
        f"<description>{_NOTES.get(title, title)}</description></item>"
        for link, title, when in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Tool releases</title>'
        f"<link>https://tool.example/</link>{body}</channel></rss>"
    ).encode()


_NOTES = {
    "Release 1 ships the importer": "Reads spreadsheets and address books into projects.",
    "Release 2 fixes the importer": "Dates before 1970 no longer crash it; empty rows are skipped.",
}
RELEASE_1 = ("https://tool.example/changes#r1", "Release 1 ships the importer", T0)
RELEASE_2 = ("https://tool.example/changes#r2", "Release 2 fixes the importer", T0 + timedelta(1))


@pytest.mark.parametrize("with_guid", [True, False])
def test_anchors_on_one_page_are_distinct_entries(with_guid: bool) -> None:
    parsed = parse_feed(_rss([RELEASE_2, RELEASE_1], guid=with_guid))
    assert [e.guid for e in parsed.entries] == [
        "https://tool.example/changes#r2",
        "https://tool.example/changes#r1",
    ]
    # What is stored and shown is the page itself.
    assert {e.url for e in parsed.entries} == {"https://tool.example/changes"}


def test_a_link_without_fragment_keeps_its_guid() -> None:
    parsed = parse_feed(_rss([("https://tool.example/r/3?utm_source=rss", "Three", T0)]))
    assert parsed.entries[0].guid == "https://tool.example/r/3"


def test_relative_anchor_links_resolve_with_their_fragment() -> None:
    # Resolved against the channel's link, https://tool.example/.
    parsed = parse_feed(
        _rss([("changes#r9", "Nine", T0)], guid=False), url="https://tool.example/rss"
    )
    assert parsed.entries[0].guid == "https://tool.example/changes#r9"
    assert parsed.entries[0].url == "https://tool.example/changes"


async def _poll(db: sqlite_utils.Database, when: datetime) -> int:
    report = await poll_feeds(db, POLLING, feeds=feed_store.list_feeds(db), now=when)
    return report.feeds[0].new_articles


async def test_second_release_on_the_same_page_is_stored(
    db: sqlite_utils.Database, server: FeedServer
) -> None:
    server.script("/rss", Reply(body=_rss([RELEASE_1])), Reply(body=_rss([RELEASE_2, RELEASE_1])))
    feed_store.add_feed(db, server.url("/rss"))
    assert await _poll(db, T0 + timedelta(hours=1)) == 1
    assert await _poll(db, T0 + timedelta(days=1, hours=1)) == 1
    titles = {r[0] for r in db.execute("SELECT title FROM articles")}
    assert titles == {RELEASE_1[1], RELEASE_2[1]}


async def test_entries_stored_under_the_old_fragmentless_guid_are_not_stored_again(
    db: sqlite_utils.Database, server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pages of their own, each link with a fragment: before the change each was stored under
    # its bare link. After it their GUIDs differ, and the store must still know them.
    pages = [
        (f"https://blog.example/post-{n}#main", f"Post number {n} on its page", T0 + timedelta(n))
        for n in range(3)
    ]
    # One page of anchors: only its first item survived the old rule.
    body = _rss([*pages, RELEASE_2, RELEASE_1])
    server.route("/rss", Reply(body=body))
    feed_store.add_feed(db, server.url("/rss"))
    with monkeypatch.context() as old_rule:
        old_rule.setattr(entries, "with_fragment", lambda link, raw_link: link)
        await _poll(db, T0 + timedelta(days=4))
    stored = {r[0] for r in db.execute("SELECT guid FROM articles")}
    assert "https://blog.example/post-0" in stored  # the old rule was in force
    # The old rule stored the anchors as one entry, which the later one overwrote as a
    # correction of the first: only the other release is new now.
    (old_title,) = db.execute(
        "SELECT title FROM articles WHERE guid = 'https://tool.example/changes'"
    ).fetchone()
    assert await _poll(db, T0 + timedelta(days=4, hours=1)) == 1
    new = db.execute("SELECT title FROM articles WHERE guid LIKE '%#r_'").fetchall()
    assert len(new) == 1 and new[0][0] != old_title
    # And nothing more on the poll after that.
    assert await _poll(db, T0 + timedelta(days=4, hours=2)) == 0
