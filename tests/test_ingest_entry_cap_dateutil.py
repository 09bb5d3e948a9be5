"""Dates only dateutil reads cost 20 to 70 us each, which over 100,000 entries was most of what
the cut saves: the common forms are read without it (as it reads them), a GUID such as
"note-4821" is known for no date without asking, and past `entry_dates.SLOW_DATES` asked the
choice is left to the parser. Each choice is compared with the one made after parsing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from _entry_cap_feeds import START, at, choices, rss

from bot.ingest import entry_dates, jsonfeed
from bot.ingest.normalize import parse_date
from bot.ingest.parser import parse_feed

pytestmark = pytest.mark.usefixtures("dated_documents_cut")


def test_dates_dateutil_reads_still_rank_past_two_thousand_of_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An archive, oldest first, one episode a day in forms `parse_date` does not read.
    forms = ("%b %d, %Y", "%d %b %Y", "%m/%d/%Y")
    items = [
        f"<item><title>Ep {n}</title><guid>https://quay.example/{n}</guid>"
        f"<pubDate>{(START + timedelta(days=n)).strftime(forms[n % 3])}</pubDate></item>"
        for n in range(3000)
    ]
    with_cut, whole = choices(rss(items), monkeypatch)
    assert with_cut == whole
    assert with_cut[-1] == "https://quay.example/2999"


def test_undated_guids_spend_no_date_reading_the_dated_items_need(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items = [f"<item><title>Old {n}</title><guid>note-{n}</guid></item>" for n in range(2100)]
    items += [
        f"<item><title>N {n}</title><guid>https://quay.example/{n}</guid>"
        f"<pubDate>{at(n):%m/%d/%Y %H:%M}</pubDate></item>"
        for n in range(1100)
    ]
    with_cut, whole = choices(rss(items), monkeypatch)
    assert with_cut == whole


def test_past_the_dates_dateutil_may_read_the_choice_is_left_to_the_parser(
    monkeypatch: pytest.MonkeyPatch, parsed_sizes: list[int]
) -> None:
    # Slashes with the year first and a clock: read only by dateutil, 2,500 times.
    items = [
        f"<item><title>N {n}</title><guid>https://quay.example/{n}</guid>"
        f"<pubDate>{at(n):%Y/%m/%d %H:%M}</pubDate></item>"
        for n in range(2500)
    ]
    body = rss(items)
    with_cut, whole = choices(body, monkeypatch)
    assert with_cut == whole
    assert parsed_sizes[0] == len(body)  # not cut: the parser read and chose


@pytest.mark.parametrize(
    "value",
    [
        "Jul 01, 2024",
        "Feb 29, 2023",
        "01 Jul 2024",
        "7 Sep 1999",
        "07/01/2024",
        "13/01/2024",
        "02/30/2024",
        "Mon, 01 Jul 2024 24:00:00 GMT",
        "Mon, 01 Jul 2024 10:00:00 GMT",
        "note-4821",
        "May-2024",
        "inf-3",
        "at-5",
        "story_12a",
        "EST-9",
        "x",
    ],
)
def test_dates_read_without_the_library_are_read_as_it_reads_them(value: str) -> None:

    library = entry_dates._library_date
    assert library is not None
    iso = library(value)
    expected = parse_date(iso) if iso else None
    read, when = entry_dates.read_date(value, entry_dates.Budget())
    assert read == bool(iso)
    assert when == (expected.timestamp() if expected else None)


def test_a_json_feed_past_the_dates_dateutil_may_read_keeps_the_parsers_choice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 2,500 dates only dateutil reads, oldest first: ranked undated past 2,000 of them, the
    # newest would have been left out.
    items = [
        {
            "id": f"note-{n}",
            "url": f"https://quay.example/{n}",
            "title": f"Note {n}",
            "date_published": f"{at(n):%Y/%m/%d %H:%M}",
        }
        for n in range(2500)
    ]
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Q", "items": items})
    kept = [e.guid for e in parse_feed(body.encode()).entries]
    monkeypatch.setattr(jsonfeed, "keep_newest_items", lambda items, limit: items)
    whole = [e.guid for e in parse_feed(body.encode()).entries]
    assert kept == whole
    assert kept[-1] == "note-2499"
