"""JSON Feed: a document served with a UTF-8 byte-order mark is still a feed, and an item linked
only by `external_url` keeps that link. Fixtures written for these tests."""

from __future__ import annotations

import codecs
import json
from datetime import UTC, datetime

import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest.parser import parse_feed
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store


def _jsonfeed(*items: dict[str, object]) -> bytes:
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Linkblog",
            "home_page_url": "https://links.example/",
            "items": list(items),
        }
    ).encode()


NOTE = {
    "id": "n1",
    "title": "Ferry timetable changes",
    "url": "https://links.example/n1",
    "content_text": "Winter sailings start on Monday.",
    "date_published": "2026-03-01T09:00:00Z",
}
LINKED = {
    "id": "n2",
    "title": "A long read on lighthouses",
    "external_url": "https://elsewhere.example/lighthouses",
    "content_text": "Worth the time.",
    "date_published": "2026-03-01T10:00:00Z",
}


def test_a_byte_order_mark_before_json_is_skipped() -> None:
    parsed = parse_feed(codecs.BOM_UTF8 + _jsonfeed(NOTE), content_type="application/feed+json")
    assert parsed.title == "Linkblog"
    assert [e.title for e in parsed.entries] == ["Ferry timetable changes"]


def test_a_byte_order_mark_before_xml_still_works() -> None:
    body = (
        codecs.BOM_UTF8
        + (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Café</title>'
            "<item><title>Crème brûlée</title><link>https://x.example/1</link></item>"
            "</channel></rss>"
        ).encode()
    )
    parsed = parse_feed(body)
    assert (parsed.title, parsed.entries[0].title) == ("Café", "Crème brûlée")


def test_external_url_is_the_link_when_there_is_no_url() -> None:
    parsed = parse_feed(_jsonfeed(NOTE, LINKED), url="https://links.example/feed.json")
    assert [e.url for e in parsed.entries] == [
        "https://links.example/n1",
        "https://elsewhere.example/lighthouses",
    ]
    assert [e.guid for e in parsed.entries] == ["n1", "n2"]


def test_url_wins_over_external_url() -> None:
    both = {**LINKED, "url": "https://links.example/n2"}
    assert parse_feed(_jsonfeed(both)).entries[0].url == "https://links.example/n2"


async def test_polled_feed_with_a_byte_order_mark_is_stored(
    db: sqlite_utils.Database, server: FeedServer
) -> None:
    body = codecs.BOM_UTF8 + _jsonfeed(NOTE, LINKED)
    server.route("/feed.json", Reply(body=body, content_type="application/feed+json"))
    feed_store.add_feed(db, server.url("/feed.json"))
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    report = await poll_feeds(db, PollingConfig(allow_private_networks=True), now=now)
    assert report.feeds[0].error is None
    rows = set(db.execute("SELECT title, url FROM articles"))
    assert rows == {
        ("Ferry timetable changes", "https://links.example/n1"),
        ("A long read on lighthouses", "https://elsewhere.example/lighthouses"),
    }
