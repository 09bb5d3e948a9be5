"""HTML entities XML does not know, and bare ampersands, cost no text: fastfeedparser's recovery
used to drop the rest of the element ('Fed&nbsp;raises rates' became 'Fed'), and a link's
`&section=` lost its key. Fixtures written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest.entities import repair_entities
from bot.ingest.parser import parse_feed
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store
from tests._cost import assert_costs_at_most


def _rss(item: str, channel_title: str = "Wire") -> bytes:
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{channel_title}</title>'
        f"<link>https://wire.example/</link><item>{item}</item></channel></rss>"
    ).encode()


def test_undeclared_html_entities_keep_the_whole_title_and_text() -> None:
    body = _rss(
        "<title>Bank&nbsp;lifts its rate to 4%</title><link>https://wire.example/a</link>"
        "<description>Markets shrugged&hellip; then bond yields rose &mdash; sharply."
        "</description>"
    )
    entry = parse_feed(body).entries[0]
    assert entry.title == "Bank lifts its rate to 4%"
    assert entry.text == "Markets shrugged… then bond yields rose — sharply."


def test_a_bare_ampersand_in_a_title_and_a_link_is_kept() -> None:
    body = _rss(
        "<title>Smith & Sons settles the dispute</title>"
        "<link>https://wire.example/story?id=42&section=world</link>"
    )
    entry = parse_feed(body).entries[0]
    assert entry.title == "Smith & Sons settles the dispute"
    assert entry.url == "https://wire.example/story?id=42&section=world"


def test_feed_title_and_atom_attributes_are_repaired_too() -> None:
    body = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
        b"<title>Notes &mdash; and more</title><id>urn:n</id><entry><id>urn:n:1</id>"
        b'<title type="html">Caf&eacute; opens &amp; closes</title>'
        b'<link href="https://notes.example/p?a=1&b=2"/>'
        b"<updated>2026-01-05T10:00:00Z</updated><summary>Short.</summary></entry></feed>"
    )
    parsed = parse_feed(body)
    assert parsed.title == "Notes — and more"
    assert parsed.entries[0].title == "Café opens & closes"
    assert parsed.entries[0].url == "https://notes.example/p?a=1&b=2"


def test_an_unknown_entity_name_is_shown_as_written() -> None:
    body = _rss("<title>The &frobnicate; flag explained</title><link>https://wire.example/f</link>")
    assert parse_feed(body).entries[0].title == "The &frobnicate; flag explained"


def test_cdata_and_comments_are_left_as_they_are() -> None:
    body = _rss(
        "<!-- built by a template & friends -->"
        "<title><![CDATA[Fish & chips &amp; more]]></title><link>https://wire.example/c</link>"
        "<description><![CDATA[<p>Tom &amp; Jerry&nbsp;return</p>]]></description>"
    )
    assert repair_entities(body) == body
    entry = parse_feed(body).entries[0]
    assert entry.title == "Fish & chips & more"
    assert entry.text == "Tom & Jerry return"


def test_repair_rewrites_only_what_xml_refuses() -> None:
    assert repair_entities(b"<t>a &amp; b &lt; &#233; &#xE9;</t>") == (
        b"<t>a &amp; b &lt; &#233; &#xE9;</t>"
    )
    assert repair_entities(b"<t>&nbsp;&copy; & &x;</t>") == b"<t>&#160;&#169; &amp; &amp;x;</t>"
    # Declared in the document's own DTD: the parser's business.
    declared = b'<!DOCTYPE rss [<!ENTITY brand "Acme">]><rss><t>&brand; &reg;</t></rss>'
    assert repair_entities(declared) == declared.replace(b"&reg;", b"&#174;")


def test_utf16_documents_are_not_rewritten() -> None:
    body = '<?xml version="1.0" encoding="utf-16"?><rss><t>a & b</t></rss>'.encode("utf-16")
    assert repair_entities(body) == body


def test_unclosed_sections_stay_linear() -> None:
    # A lazy pattern for the sections scans to the end of the document from each opener that
    # never closes: quadratic in them. The first comment runs to the end, so nothing is rewritten.
    hostile = b"<rss>" + b"<!--<![CDATA[ & " * 200_000
    assert repair_entities(hostile) == hostile
    # Compared with one pass of `replace` over the same bytes (1.4x to 3x that), not with a
    # smaller document: this is a scan and a copy, whose cost per byte grows as the document
    # outgrows the CPU's caches (10x to 26x for 8x the bytes), however linear.
    assert_costs_at_most(
        lambda: repair_entities(hostile), lambda: hostile.replace(b"&", b"&amp;"), 6
    )


async def test_polled_link_keeps_its_query(db: sqlite_utils.Database, server: FeedServer) -> None:
    body = _rss(
        "<title>Port reopens &ndash; ships queue</title>"
        "<link>https://wire.example/read?id=7&lang=en</link>"
        "<pubDate>Mon, 02 Mar 2026 08:00:00 +0000</pubDate>",
        channel_title="Wire &amp; Co",
    )
    server.route("/rss", Reply(body=body))
    feed_store.add_feed(db, server.url("/rss"))
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    await poll_feeds(db, PollingConfig(allow_private_networks=True), now=now)
    rows = list(db.execute("SELECT title, url FROM articles"))
    assert rows == [("Port reopens – ships queue", "https://wire.example/read?id=7&lang=en")]
