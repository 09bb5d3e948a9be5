"""Which character encoding a feed is read in: its BOM, its XML declaration, then the HTTP
Content-Type charset, then UTF-8 (JSON Feed: UTF-8 whenever the bytes are UTF-8)."""

from __future__ import annotations

import codecs

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest.parser import parse_feed
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store

# No XML declaration: only the HTTP header can say this is not UTF-8.
RSS = (
    '<rss version="2.0"><channel><title>Le Petit Café</title>'
    "<item><guid>cafe-1</guid><title>Crème brûlée night at the café</title>"
    "<link>https://cafe.example/menu/1</link>"
    "<description>Desserts à volonté, «on the house».</description></item>"
    "</channel></rss>"
)
JSON_FEED = (
    '{"version": "https://jsonfeed.org/version/1.1", "title": "Le Petit Café",'
    ' "items": [{"id": "j1", "url": "https://cafe.example/j1",'
    ' "title": "Crème brûlée night", "content_text": "Desserts à volonté."}]}'
)


async def test_poll_decodes_with_the_http_charset_when_the_feed_names_none(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    body = RSS.encode("latin-1")
    server.route("/feed.xml", Reply(body=body, content_type="text/xml; charset=ISO-8859-1"))
    feed_store.add_feed(db, server.url("/feed.xml"))
    polling = PollingConfig(allow_private_networks=True, timeout=5.0)

    report = await poll_feeds(db, polling)

    assert [r.status for r in report.feeds] == ["new"]
    (feed,) = feed_store.list_feeds(db)
    assert feed.title == "Le Petit Café"
    (article,) = db.execute_returning_dicts("SELECT source, title, text FROM articles")
    assert article == {
        "source": "Le Petit Café",
        "title": "Crème brûlée night at the café",
        "text": "Desserts à volonté, «on the house».",
    }


def test_an_iso_8859_1_label_is_read_as_windows_1252() -> None:
    # Servers saying Latin-1 routinely send windows-1252 curly quotes.
    body = RSS.replace("«", "“").replace("»", "”").encode("cp1252")
    feed = parse_feed(body, content_type="application/rss+xml; charset=iso-8859-1")
    assert feed.entries[0].text == "Desserts à volonté, “on the house”."


def test_the_xml_declaration_beats_the_http_charset() -> None:
    body = ('<?xml version="1.0" encoding="utf-8"?>' + RSS).encode("utf-8")
    feed = parse_feed(body, content_type="text/xml; charset=ISO-8859-1")
    assert feed.title == "Le Petit Café"
    assert feed.entries[0].title == "Crème brûlée night at the café"


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16"])
def test_a_byte_order_mark_beats_the_http_charset(codec: str) -> None:
    body = RSS.encode(codec)
    assert body.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    feed = parse_feed(body, content_type="text/xml; charset=ISO-8859-1")
    assert feed.entries[0].title == "Crème brûlée night at the café"


@pytest.mark.parametrize(
    "content_type", [None, "text/xml", "text/xml; charset=us-ascii", "text/xml; charset=nonsense"]
)
def test_without_a_usable_charset_undeclared_bytes_are_utf8(content_type: str | None) -> None:
    feed = parse_feed(RSS.encode("utf-8"), content_type=content_type)
    assert feed.entries[0].title == "Crème brûlée night at the café"


def test_json_feed_is_utf8_unless_its_bytes_are_not() -> None:
    mislabelled = parse_feed(
        JSON_FEED.encode("utf-8"), content_type="application/feed+json; charset=ISO-8859-1"
    )
    assert mislabelled.entries[0].title == "Crème brûlée night"
    latin1 = parse_feed(
        JSON_FEED.encode("latin-1"), content_type="application/feed+json; charset=ISO-8859-1"
    )
    assert latin1.title == "Le Petit Café"
    assert latin1.entries[0].text == "Desserts à volonté."
