"""JSON Feed: a document served with a UTF-8 byte-order mark is still a feed, an item linked
only by `external_url` keeps that link, a badly typed field costs only itself (an item that is
no object only itself), and a document that is no JSON Feed says so in JSON's terms. Fixtures
written for these tests."""

from __future__ import annotations

import codecs
import json
from datetime import UTC, datetime

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest.errors import FeedParseError
from bot.ingest.parser import parse_feed
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store


def _jsonfeed(*items: object) -> bytes:
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


GOOD = {"id": "n3", "title": "Quay market returns", "url": "https://links.example/n3"}


@pytest.mark.parametrize(
    ("bad", "author"),
    [
        ({"author": "Sam Reed"}, "Sam Reed"),  # JSON Feed 1.0 producers write a name
        ({"authors": "Sam Reed"}, "Sam Reed"),
        ({"authors": [5, {"name": "Sam Reed"}]}, "Sam Reed"),
        ({"authors": [5]}, None),
        ({"author": {"name": 7}}, None),
        ({"date_published": 12345}, None),
        ({"content_text": 5}, None),
        ({"content_html": ["x"]}, None),
        ({"title": ["Ferry", "timetable"]}, None),
        ({"tags": "harbour", "attachments": "x"}, None),
    ],
)
def test_an_item_with_a_badly_typed_field_keeps_the_feed_and_its_other_items(
    bad: dict[str, object], author: str | None
) -> None:
    parsed = parse_feed(_jsonfeed({**NOTE, **bad}, GOOD))
    assert parsed.parser == "fastfeedparser"
    first, second = parsed.entries
    assert first.url == "https://links.example/n1" and first.author == author
    assert first.title == (
        NOTE["title"] if "title" not in bad else "Winter sailings start on Monday."
    )
    assert (second.title, second.url) == ("Quay market returns", "https://links.example/n3")


def test_an_item_that_is_no_object_is_left_out_and_a_numeric_id_is_a_string() -> None:
    parsed = parse_feed(_jsonfeed(5, "note", {**NOTE, "id": 1234, "url": None}, GOOD))
    assert [e.title for e in parsed.entries] == [NOTE["title"], "Quay market returns"]
    assert parsed.entries[0].guid == "1234"


def test_a_numeric_title_is_its_string_and_a_boolean_one_is_dropped() -> None:
    # Hugo's jsonify writes a title of digits as a number; fastfeedparser read it so before.
    stall = {**GOOD, "title": True, "content_text": "Stalls open at noon."}
    document = json.loads(_jsonfeed({**NOTE, "title": 2026}, stall))
    document["title"] = 1999
    parsed = parse_feed(json.dumps(document).encode())
    assert parsed.title == "1999"
    assert [e.title for e in parsed.entries] == ["2026", "Stalls open at noon."]


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b'{"version": "https://jsonfeed.org/version/1", "items": {}}', '"items" is an object'),
        (b'{"version": "https://jsonfeed.org/version/1", "items": "x"}', '"items" is a string'),
        (b'{"title": "Linkblog", "items": [', "not valid JSON: Expecting value: line 1"),
        (b"[1, 2]", "the document is an array, not an object"),
        (b'{"title": "Linkblog"}', 'no "items" and no JSON Feed "version"'),
        (b"[" * 100_000, "nested too deeply"),
    ],
)
def test_a_document_that_is_no_json_feed_says_so_in_json_terms(body: bytes, said: str) -> None:
    with pytest.raises(FeedParseError) as refused:
        parse_feed(body)
    assert said in str(refused.value)
    assert "XML" not in str(refused.value) and "well-formed" not in str(refused.value)


async def test_a_polled_json_feed_with_a_string_author_stores_its_items(
    db: sqlite_utils.Database, server: FeedServer
) -> None:
    body = _jsonfeed({**NOTE, "author": "Sam Reed"}, {**GOOD, "date_published": 12345})
    server.route("/feed.json", Reply(body=body, content_type="application/feed+json"))
    feed_store.add_feed(db, server.url("/feed.json"))
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    await poll_feeds(db, PollingConfig(allow_private_networks=True), now=now)
    (feed,) = feed_store.list_feeds(db)
    assert feed.last_error is None
    stored = sorted(r[0] for r in db.execute("SELECT title FROM articles"))
    assert stored == ["Ferry timetable changes", "Quay market returns"]


def test_null_items_is_an_empty_feed_and_an_escaped_lone_surrogate_is_kept_readable() -> None:
    empty = b'{"version": "https://jsonfeed.org/version/1.1", "title": "Linkblog", "items": null}'
    assert (parse_feed(empty).title, parse_feed(empty).entries) == ("Linkblog", [])
    odd = _jsonfeed({**NOTE, "title": "Tide \ud800 tables", "author": "Sam Reed"})
    (entry,) = parse_feed(odd).entries
    assert (entry.title, entry.author) == ("Tide \ufffd tables", "Sam Reed")
