"""The entry a cut-off feed stops inside is left for the next whole read, also when the feed
names its elements with a prefix (<atom:entry>), an earlier entry's CDATA mentions a tag, or the
feed holds more entries than are read (MAX_FEED_ENTRIES). A whole entry is never left out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from bot.ingest.parser import MAX_FEED_ENTRIES, parse_feed
from bot.ingest.shape import cut_entry_starts
from tests._cost import assert_grows_linearly

DECL = b'<?xml version="1.0" encoding="utf-8"?>\n'
HEAD = DECL + b'<rss version="2.0"><channel><title>Quay Notes</title>'
START = datetime(2026, 3, 1, tzinfo=UTC)


def _item(i: int, extra: bytes = b"") -> bytes:
    date = format_datetime(START + timedelta(hours=i)).encode()
    return (
        b"<item><title>Tide note %d</title><link>https://quay.example/%d</link>"
        b"<pubDate>%s</pubDate><description>The harbour master posted tide note %d for the "
        b"week.%s</description></item>" % (i, i, date, i, extra)
    )


def _cut(body: bytes) -> bytes:
    return body[: body.rindex(b"for the")]


def _titles(body: bytes) -> list[str]:
    return [e.title for e in parse_feed(body, url="https://quay.example/feed").entries]


def test_a_prefixed_atom_entry_the_cut_went_through_is_left_out() -> None:
    entry = (
        b"<atom:entry><atom:id>urn:q:%d</atom:id><atom:title>Berth %d</atom:title>"
        b"<atom:link href='https://quay.example/b%d'/><atom:summary>Berth %d is free for the "
        b"day.</atom:summary></atom:entry>"
    )
    body = (
        DECL
        + b"<atom:feed xmlns:atom='http://www.w3.org/2005/Atom'><atom:title>Quay</atom:title>"
        + b"".join(entry % (i, i, i, i) for i in range(3))
    )
    parsed = parse_feed(_cut(body), url="https://quay.example/atom")
    assert parsed.missing_end == "</atom:feed>"
    assert [e.title for e in parsed.entries] == ["Berth 0", "Berth 1"]
    # Cut between entries: every one is whole and kept.
    assert _titles(body) == ["Berth 0", "Berth 1", "Berth 2"]


def test_a_tag_named_in_an_earlier_entrys_cdata_is_not_counted() -> None:
    mention = b"<![CDATA[ Our feed wraps each note in <item> tags. ]]>"
    whole = HEAD + _item(0, mention) + _item(1) + _item(2)
    assert _titles(_cut(whole)) == ["Tide note 0", "Tide note 1"]
    assert cut_entry_starts(_cut(whole)) == 3
    assert _titles(whole) == ["Tide note 0", "Tide note 1", "Tide note 2"]


def test_a_closing_tag_named_in_the_cut_entrys_cdata_is_not_counted() -> None:
    body = HEAD + _item(0) + _item(1, b"<![CDATA[ ends with </item> ]]> More")
    assert _titles(body[: body.rindex(b"More")]) == ["Tide note 0"]


def test_a_cut_through_the_last_of_more_entries_than_are_read_is_left_out() -> None:
    count = MAX_FEED_ENTRIES + 2
    whole = HEAD + b"".join(_item(i) for i in range(count))
    parsed = parse_feed(_cut(whole), url="https://quay.example/feed")
    # The cut one (the newest) is left out before the newest are chosen: it takes no whole
    # entry's place, and only the oldest whole one is past the cap.
    assert parsed.unread_entries == 1
    assert len(parsed.entries) == MAX_FEED_ENTRIES
    assert parsed.entries[0].title == "Tide note 1"
    assert parsed.entries[-1].title == f"Tide note {count - 2}"
    assert parsed.entries[-1].text.endswith("for the week.")


def test_a_cut_between_more_entries_than_are_read_keeps_the_newest_whole() -> None:
    count = MAX_FEED_ENTRIES + 1
    parsed = parse_feed(HEAD + b"".join(_item(i) for i in range(count)), url=None)
    assert parsed.missing_end == "</rss>"
    assert parsed.unread_entries == 1
    assert [e.title for e in parsed.entries[-2:]] == [
        f"Tide note {count - 2}",
        f"Tide note {count - 1}",
    ]


# Hostile documents of `n` openers, and the count of entry starts each ends inside (None: it
# ends inside no entry).
HOSTILE: dict[str, tuple[Callable[[int], bytes], int | None]] = {
    "cdata": (lambda n: b"<![CDATA[" * n, None),
    "comments": (lambda n: b"<!--" * n, None),
    "one long name": (lambda n: b"<" + b"x" * (10 * n), None),
    "prefixes": (lambda n: b"<x:" * n, None),
    "items": (lambda n: b"<item>" * n, 500_000),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_counting_entries_in_a_hostile_document_takes_linear_time(kind: str) -> None:
    # Unclosed sections and tags that never end must not be rescanned from each opener. The first
    # unclosed section runs to the end, passed with one `find`: under the timer's grain at these
    # sizes, which `assert_grows_linearly` allows for, and far under a rescan from each opener.
    make, starts = HOSTILE[kind]
    bodies = {n: make(n) for n in (62_500, 500_000)}
    assert cut_entry_starts(bodies[500_000]) == starts
    assert_grows_linearly(lambda n: cut_entry_starts(bodies[n]), 500_000)
