"""An RSS item's own `<title>`, `<guid>` and `<pubDate>` win over namespaced elements of the same
local name before them (`<itunes:title>`, `<media:title>`, a vendor's `<x:guid>`): the fast
parser matches by local name, the first one winning, so a podcast episode's short title or a
video's caption replaced the headline."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.ingest.parser import ParsedEntry, parse_feed

_NAMESPACES = (
    'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
    'xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:x="http://vendor.example/ns"'
)
_LINK = "<link>https://radio.example.net/shows/tide-tables</link>"


def _items(*items: str) -> list[ParsedEntry]:
    doc = (
        f'<?xml version="1.0"?><rss version="2.0" {_NAMESPACES}><channel>'
        "<title>Coastal radio</title><link>https://radio.example.net/</link>"
        + "".join(f"<item>{item}</item>" for item in items)
        + "</channel></rss>"
    )
    return parse_feed(doc.encode(), url="https://radio.example.net/podcast.xml").entries


@pytest.mark.parametrize("prefix", ["itunes", "media", "dc", "x"])
def test_own_title_wins_over_a_namespaced_one_before_it(prefix: str) -> None:
    (entry,) = _items(
        f"<{prefix}:title>Tides</{prefix}:title>"
        f"<title>Episode 12: Reading the spring tide tables</title>{_LINK}"
    )
    assert entry.title == "Episode 12: Reading the spring tide tables"


def test_a_namespaced_title_alone_is_still_the_title() -> None:
    (entry,) = _items(f"<itunes:title>Tide tables</itunes:title>{_LINK}")
    assert entry.title == "Tide tables"


def test_own_guid_wins_over_a_foreign_one_before_it() -> None:
    (entry,) = _items(
        f"<title>Storm surge</title>{_LINK}<x:guid>vendor-0001</x:guid>"
        '<guid isPermaLink="false">coastal-radio-ep-13</guid>'
    )
    assert entry.guid == "coastal-radio-ep-13"


def test_own_pubdate_wins_over_a_foreign_one_before_it() -> None:
    (entry,) = _items(
        f"<title>Storm surge</title>{_LINK}<x:pubDate>Mon, 01 Jan 2001 00:00:00 GMT</x:pubDate>"
        "<pubDate>Tue, 10 Feb 2026 10:00:00 GMT</pubDate>"
    )
    assert entry.published == datetime(2026, 2, 10, 10, 0, tzinfo=UTC)


def test_own_pubdate_with_a_12_hour_clock_after_a_foreign_one() -> None:
    (entry,) = _items(
        f"<title>Storm surge</title>{_LINK}<x:pubDate>Mon, 01 Jan 2001 00:00:00 GMT</x:pubDate>"
        "<pubDate>Tue, 10 Feb 2026 02:15:00 PM GMT</pubDate>"
    )
    assert entry.published == datetime(2026, 2, 10, 14, 15, tzinfo=UTC)


def test_each_item_keeps_its_own_fields() -> None:
    first, second = _items(
        f"<title>Harbour lights</title>{_LINK}<guid>ep-1</guid>",
        "<media:title>Clip</media:title><title>Fog horns explained</title>"
        "<link>https://radio.example.net/shows/fog</link><guid>ep-2</guid>",
    )
    assert (first.title, first.guid) == ("Harbour lights", "ep-1")
    assert (second.title, second.guid) == ("Fog horns explained", "ep-2")


def test_a_media_title_inside_media_content_never_counted() -> None:
    (entry,) = _items(
        '<media:content url="https://radio.example.net/a.mp3"><media:title>Audio</media:title>'
        f"</media:content><title>Pilot boats</title>{_LINK}"
    )
    assert entry.title == "Pilot boats"
