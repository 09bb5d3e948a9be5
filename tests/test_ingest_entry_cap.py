"""A document of more entries than are read (`MAX_FEED_ENTRIES`) is cut down before it is
parsed: the parser reads only the entries kept, the newest by date as before (undated ones after
the dated, in document order). Choosing them after parsing made 100,000 tiny undated items cost
6.7 s of CPU a poll (fastfeedparser reads each one's GUID as a date), held by the GIL. Real
loopback feed server and SQLite file for the poll."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest import parser
from bot.ingest.parser import MAX_FEED_ENTRIES, parse_feed
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store

START = datetime(2024, 7, 1, tzinfo=UTC)
HEAD = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour notes</title>'
TAIL = b"</channel></rss>"


def _rss(items: list[str]) -> bytes:
    return HEAD + "".join(items).encode() + TAIL


def _item(n: int, date: str | None = None, extra: str = "") -> str:
    when = f"<pubDate>{date}</pubDate>" if date else ""
    return (
        f"<item><title>Harbour note {n}</title><link>https://quay.example/{n}</link>"
        f"<guid>note-{n}</guid>{when}{extra}</item>"
    )


def _rfc822(minutes: int) -> str:
    return format_datetime(START + timedelta(minutes=minutes))


def _numbers(body: bytes, **kwargs: Any) -> list[int]:
    return [int(e.guid.rsplit("-", 1)[1]) for e in parse_feed(body, **kwargs).entries]


@pytest.fixture
def parsed_sizes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many bytes each document the parser is given holds."""
    sizes: list[int] = []
    real = parser.fastfeedparser.parse

    def spy(body: bytes, **kwargs: Any) -> Any:
        sizes.append(len(body))
        return real(body, **kwargs)

    monkeypatch.setattr(parser.fastfeedparser, "parse", spy)
    return sizes


def _without_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    """The choice made after parsing, as before the cut: what the cut must agree with."""
    monkeypatch.setattr(parser, "keep_newest_entries", lambda body, limit: None)


def test_a_huge_document_is_cut_to_the_entries_read_before_it_is_parsed(
    parsed_sizes: list[int],
) -> None:
    count = 20 * MAX_FEED_ENTRIES
    body = HEAD + b"".join(b"<item><guid>note-%d</guid></item>" % n for n in range(count)) + TAIL
    parsed = parse_feed(body, url="https://quay.example/feed")
    assert len(parsed.entries) == MAX_FEED_ENTRIES
    assert parsed.unread_entries == count - MAX_FEED_ENTRIES
    assert [e.guid for e in parsed.entries[:2]] == ["note-0", "note-1"]  # undated: in order
    (size,) = parsed_sizes
    assert size < len(body) / 10  # the parser read a twentieth of the items, not all


def test_an_oldest_first_feed_keeps_its_newest_entries() -> None:
    count = MAX_FEED_ENTRIES + 300
    body = _rss([_item(n, _rfc822(n)) for n in range(count)])
    assert _numbers(body) == list(range(300, count))


def test_the_cut_keeps_what_the_choice_after_parsing_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Dates in every form the parser reads, the GUID read as one, dates it cannot read, none.
    rng = random.Random(11)
    forms = [
        lambda n: _item(n, _rfc822(n)),
        lambda n: _item(n, (START + timedelta(minutes=n)).strftime("%a, %d %b %Y %H:%M:%S -0500")),
        lambda n: _item(n, (START + timedelta(minutes=n)).isoformat()),
        lambda n: _item(n, (START + timedelta(minutes=n)).strftime("%B %d, %Y %H:%M")),
        lambda n: _item(n, (START + timedelta(minutes=n)).strftime("%m/%d/%Y %H:%M")),
        lambda n: _item(n, f"someday {n}"),
        lambda n: _item(n),
        lambda n: _item(
            n, extra=f"<dc:date>{(START + timedelta(minutes=n)).isoformat()}</dc:date>"
        ),
        lambda n: (
            f"<item><title>Dated by its GUID {n}</title><guid>"
            f"{(START + timedelta(minutes=n)).strftime('%Y-%m-%d %H:%M')}-{n}</guid></item>"
        ),
        lambda n: _item(n, "", f"<atom:updated>{_rfc822(n)}</atom:updated>"),
    ]
    items = [rng.choice(forms)(n) for n in rng.sample(range(3 * MAX_FEED_ENTRIES), 2500)]
    body = HEAD.replace(b"<rss ", b'<rss xmlns:dc="http://purl.org/dc/elements/1.1/" ')
    body = body.replace(b"<rss ", b'<rss xmlns:atom="http://www.w3.org/2005/Atom" ')
    body += "".join(items).encode() + TAIL
    cut = parse_feed(body)
    _without_cut(monkeypatch)
    whole = parse_feed(body)
    assert cut.unread_entries == whole.unread_entries == 1500
    assert [e.guid for e in cut.entries] == [e.guid for e in whole.entries]


def test_atom_entries_are_chosen_by_their_own_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    def entry(n: int) -> str:
        # The <source>'s date follows the entry's own, as aggregators write it.
        own = (START + timedelta(minutes=n)).isoformat()
        return (
            f"<entry><id>urn:note:{n}</id><title>Note {n}</title><updated>{own}</updated>"
            f"<source><updated>2030-01-01T00:00:00Z</updated></source></entry>"
        )

    numbers = list(range(MAX_FEED_ENTRIES + 40))
    random.Random(5).shuffle(numbers)
    body = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Quay</title>'
        + "".join(entry(n) for n in numbers)
        + "</feed>"
    ).encode()
    kept = [int(e.guid.rsplit(":", 1)[1]) for e in parse_feed(body).entries]
    assert kept == [n for n in numbers if n >= 40]


def test_entry_tags_in_cdata_comments_and_self_closed_items_do_not_move_the_cut() -> None:
    count = MAX_FEED_ENTRIES + 10
    items = [_item(n, _rfc822(n)) for n in range(count)]
    items[3] = _item(
        3, _rfc822(3), "<description><![CDATA[ends </item> <item> early]]></description>"
    )
    items[5] = items[5] + "<!-- <item><title>no entry</title></item> -->"
    items.insert(7, "<item/>")  # an empty entry: undated, so among the first cut out
    parsed = parse_feed(_rss(items))
    assert parsed.unread_entries == 11
    assert [e.title for e in parsed.entries[:2]] == ["Harbour note 10", "Harbour note 11"]
    assert parsed.entries[-1].title == f"Harbour note {count - 1}"


def test_a_cut_off_document_over_the_cap_keeps_its_newest_whole_entries() -> None:
    count = MAX_FEED_ENTRIES + 5
    body = _rss([_item(n, _rfc822(n)) for n in range(count)])
    body = body[: body.rindex(b"<pubDate>")]  # stops inside the newest entry
    parsed = parse_feed(body)
    assert parsed.missing_end == "</rss>"
    assert parsed.unread_entries == 4  # of the whole ones; the cut one is no entry
    assert parsed.entries[0].title == "Harbour note 4"
    assert parsed.entries[-1].title == f"Harbour note {count - 2}"


def test_a_huge_json_feed_keeps_its_newest_items(parsed_sizes: list[int]) -> None:
    count = 5 * MAX_FEED_ENTRIES
    numbers = list(range(count))
    random.Random(2).shuffle(numbers)
    items = [
        {
            "id": f"note-{n}",
            "title": f"Note {n}",
            "url": f"https://quay.example/{n}",
            "date_published": (START + timedelta(minutes=n)).isoformat(),
        }
        for n in numbers
    ]
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Q", "items": items})
    parsed = parse_feed(body.encode())
    assert parsed.unread_entries == count - MAX_FEED_ENTRIES
    assert [int(e.guid.split("-")[1]) for e in parsed.entries] == [
        n for n in numbers if n >= count - MAX_FEED_ENTRIES
    ]
    (size,) = parsed_sizes
    assert size < len(body) / 4


async def test_polling_a_feed_of_100000_tiny_items_parses_only_the_entries_read(
    server: FeedServer, db: sqlite_utils.Database, parsed_sizes: list[int]
) -> None:
    count = 100_000
    body = HEAD + b"".join(b"<item><title>Note %d</title></item>" % n for n in range(count)) + TAIL
    server.route("/tiny", Reply(body=body, content_type="application/rss+xml"))
    feed_store.add_feed(db, server.url("/tiny"))

    report = await poll_feeds(db, PollingConfig(allow_private_networks=True, timeout=60.0))

    (result,) = report.feeds
    assert result.status == "new" and result.new_articles == 200
    assert (
        result.error is not None and f"{count - MAX_FEED_ENTRIES} past the newest" in result.error
    )
    (size,) = parsed_sizes
    assert size < len(body) / 50
