"""Feed content that is valid enough to parse but hostile to what comes after: lone surrogates,
control characters, items whose only link is the site's home page, malformed links, and one entry
the parser can't read among good ones."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest import parsed_feed, parser
from bot.ingest.parser import parse_feed
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store

POLLING = PollingConfig(allow_private_networks=True, timeout=5.0)


def _titles(db: sqlite_utils.Database) -> list[str]:
    return sorted(r["title"] for r in db.execute_returning_dicts("SELECT title FROM articles"))


SURROGATES = (
    b'{"version":"https://jsonfeed.org/version/1.1","title":"Desk \\udc00","items":['
    b'{"id":"1","url":"https://e.example/1","title":"Good story"},'
    b'{"id":"2","url":"https://e.example/2","title":"bad \\ud800 title",'
    b'"content_html":"<p>x \\udc00 y \\ud83d\\ude00</p>","authors":[{"name":"\\ud800"}]}]}'
)


def test_lone_surrogates_become_replacement_characters() -> None:
    feed = parse_feed(SURROGATES)
    assert feed.title == "Desk \ufffd"
    _, bad = feed.entries
    assert bad.title == "bad \ufffd title" and bad.text == "x \ufffd y \U0001f600"
    for text in (feed.title, bad.title, bad.text, bad.guid):
        text.encode("utf-8")  # what SQLite will do with it


async def test_lone_surrogate_does_not_lose_the_feed(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    server.route("/f.json", Reply(body=SURROGATES, content_type="application/feed+json"))
    feed_store.add_feed(db, server.url("/f.json"))

    report = await poll_feeds(db, POLLING)

    assert [r.status for r in report.feeds] == ["new"]
    assert _titles(db) == ["Good story", "bad \ufffd title"]
    (feed,) = feed_store.list_feeds(db)
    assert feed.title == "Desk \ufffd" and feed.last_error is None


HOMEPAGE_LINKS = b"""<rss version="2.0"><channel><title>Status</title>
<item><title>Outage in EU region</title><link>https://status.example/</link>
  <description>Servers are down in Frankfurt.</description>
  <pubDate>Mon, 01 Jul 2024 07:00:00 GMT</pubDate></item>
<item><title>Payments delayed</title><link>https://status.example/</link>
  <description>Card payments are queued.</description>
  <pubDate>Mon, 01 Jul 2024 09:00:00 GMT</pubDate></item>
<item><title>Explicit id</title><link>https://status.example/</link><guid>incident-7</guid></item>
<item><title>Own page</title><link>https://status.example/incidents/8</link></item>
</channel></rss>"""


def test_a_home_page_link_is_not_an_items_id() -> None:
    first, second, explicit, own = parse_feed(HOMEPAGE_LINKS).entries
    assert first.guid.startswith("sha1:") and second.guid.startswith("sha1:")
    assert first.guid != second.guid
    assert first.guid == parse_feed(HOMEPAGE_LINKS).entries[0].guid  # stable across polls
    assert explicit.guid == "incident-7"
    assert own.guid == "https://status.example/incidents/8"


async def test_items_sharing_a_home_page_link_are_all_kept(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    server.route("/rss", Reply(body=HOMEPAGE_LINKS, content_type="application/rss+xml"))
    feed_store.add_feed(db, server.url("/rss"))

    await poll_feeds(db, POLLING)
    again = await poll_feeds(db, POLLING, feeds=feed_store.list_feeds(db))

    assert _titles(db) == ["Explicit id", "Outage in EU region", "Own page", "Payments delayed"]
    assert again.new_articles == []


MALFORMED_LINKS = b"""<rss version="2.0"><channel><title>Desk</title><link>http://[desk</link>
<item><guid>1</guid><title>Broken link story</title><link>http://[oops/x</link></item>
<item><guid>2</guid><title>Good story</title><link>https://d.example/2</link></item>
</channel></rss>"""


def test_a_malformed_link_is_no_link_not_a_broken_feed() -> None:
    feed = parse_feed(MALFORMED_LINKS, url="https://d.example/rss")
    assert feed.link == "https://d.example/rss"
    assert [(e.title, e.url) for e in feed.entries] == [
        ("Broken link story", None),
        ("Good story", "https://d.example/2"),
    ]


async def test_a_malformed_link_does_not_lose_the_feed(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    server.route("/rss", Reply(body=MALFORMED_LINKS, content_type="application/rss+xml"))
    feed_store.add_feed(db, server.url("/rss"))

    report = await poll_feeds(db, POLLING)

    assert [r.status for r in report.feeds] == ["new"]
    assert _titles(db) == ["Broken link story", "Good story"]


def test_an_entry_that_cannot_be_read_is_skipped_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    real = parsed_feed.read_entry

    def entry(raw: Mapping[str, Any], base: str | None, *title: Any) -> parser.ParsedEntry:
        if raw.get("title") == "Good story":
            return real(raw, base, *title)
        raise RuntimeError("parser bug")

    monkeypatch.setattr(parsed_feed, "read_entry", entry)
    feed = parse_feed(MALFORMED_LINKS, url="https://d.example/rss")
    assert [e.title for e in feed.entries] == ["Good story"]
