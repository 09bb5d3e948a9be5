"""Dates written in forms the fast parser misreads: a 12-hour clock, an RFC 822 offset with a
colon, and GMT/UTC followed by an offset. Each once came out hours off."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.ingest.normalize import parse_date
from bot.ingest.parser import parse_feed


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("Sat, Dec 16 2023 02:02:33 PM", datetime(2023, 12, 16, 14, 2, 33, tzinfo=UTC)),
        ("Sat, 16 Dec 2023 02:02:33 pm +0000", datetime(2023, 12, 16, 14, 2, 33, tzinfo=UTC)),
        ("Tue, 10 Feb 2026 3:00 PM EST", datetime(2026, 2, 10, 20, 0, tzinfo=UTC)),
        ("Tue, 10 Feb 2026 12:15:00 AM +0000", datetime(2026, 2, 10, 0, 15, tzinfo=UTC)),
        ("Tue, 10 Feb 2026 12:15:00 PM +0000", datetime(2026, 2, 10, 12, 15, tzinfo=UTC)),
        ("Tue, 10 Feb 2026 22:30:00 -08:00", datetime(2026, 2, 11, 6, 30, tzinfo=UTC)),
        ("Tue, 10 Feb 2026 15:00:00 +05:30", datetime(2026, 2, 10, 9, 30, tzinfo=UTC)),
        ("Tue, 10 Feb 2026 15:00:00 GMT-0500", datetime(2026, 2, 10, 20, 0, tzinfo=UTC)),
        ("Tue, 10 Feb 2026 15:00:00 GMT+2", datetime(2026, 2, 10, 13, 0, tzinfo=UTC)),
        ("Tue, 10 Feb 2026 15:00:00 UTC+05:30", datetime(2026, 2, 10, 9, 30, tzinfo=UTC)),
        # Forms that were read right before stay so.
        ("Tue, 10 Feb 2026 15:00:00 +0100", datetime(2026, 2, 10, 14, 0, tzinfo=UTC)),
        ("2026-02-10T15:00:00+01:00", datetime(2026, 2, 10, 14, 0, tzinfo=UTC)),
        ("Tue, 10 Feb 2026 15:00:00 GMT", datetime(2026, 2, 10, 15, 0, tzinfo=UTC)),
    ],
)
def test_parse_date_reads_the_odd_forms(written: str, meant: datetime) -> None:
    assert parse_date(written) == meant


def _rss_dated(*dates: str) -> bytes:
    items = "".join(
        f"<item><title>Market report {n}</title><link>https://wharf.example.org/{n}</link>"
        f"<pubDate>{date}</pubDate></item>"
        for n, date in enumerate(dates)
    )
    return (
        '<rss version="2.0"><channel><title>Wharf Daily</title>'
        f"<link>https://wharf.example.org/</link>{items}</channel></rss>"
    ).encode()


def test_feed_dates_with_a_clock_or_offset_the_fast_parser_misreads() -> None:
    feed = parse_feed(
        _rss_dated(
            "Sat, Dec 16 2023 02:02:33 PM",
            "Tue, 10 Feb 2026 22:30:00 -08:00",
            "Tue, 10 Feb 2026 15:00:00 GMT-0500",
            "Tue, 10 Feb 2026 15:00:00 +0100",
        )
    )
    assert [e.published for e in feed.entries] == [
        datetime(2023, 12, 16, 14, 2, 33, tzinfo=UTC),
        datetime(2026, 2, 11, 6, 30, tzinfo=UTC),
        datetime(2026, 2, 10, 20, 0, tzinfo=UTC),
        datetime(2026, 2, 10, 14, 0, tzinfo=UTC),
    ]


def test_an_atom_updated_date_with_a_twelve_hour_clock() -> None:
    doc = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Wharf</title>'
        "<entry><title>Tide table</title><id>tag:wharf.example.org,2026:1</id>"
        '<link href="https://wharf.example.org/tides"/>'
        "<updated>Tue, 10 Feb 2026 09:45 PM +0000</updated></entry></feed>"
    )
    (entry,) = parse_feed(doc.encode()).entries
    assert entry.published == datetime(2026, 2, 10, 21, 45, tzinfo=UTC)


def test_prose_about_the_afternoon_changes_no_date() -> None:
    doc = _rss_dated("Tue, 10 Feb 2026 15:00:00 +0100").replace(
        b"</pubDate>", b"</pubDate><description>Doors open at 3 PM GMT+1.</description>"
    )
    (entry,) = parse_feed(doc).entries
    assert entry.published == datetime(2026, 2, 10, 14, 0, tzinfo=UTC)
