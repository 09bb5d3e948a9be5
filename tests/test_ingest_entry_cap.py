"""A document of more entries than are read (`MAX_FEED_ENTRIES`) is cut down before it is
parsed: the parser reads only the entries kept, the newest by date as before (undated ones after
the dated, in document order). Choosing them after parsing made 100,000 tiny undated items cost
6.7 s of CPU a poll (fastfeedparser reads each one's GUID as a date), held by the GIL. Real
loopback feed server and SQLite file for the poll."""

from __future__ import annotations

import contextlib
import json
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest import entry_cap, jsonfeed, parser
from bot.ingest.attributes import crowded_element
from bot.ingest.errors import FeedParseError
from bot.ingest.normalize import parse_date
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


@pytest.fixture(autouse=True)
def _dated_documents_cut_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """A mostly dated document is left whole by default (the parser dates it fast), but the
    dated entries of a mixed one are ranked by the same reading: these tests cut them all."""
    monkeypatch.setattr(entry_cap, "_DATED_SHARE", float("inf"))


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


# Review findings (session 21): each document below made the cut choose other entries than the
# parser, or let a hostile one past the attribute guard. Each is compared with the choice made
# after parsing the whole document, which the cut must never change.


def _choices(body: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """The GUIDs read with the cut, then without it."""
    with_cut = [e.guid for e in parse_feed(body).entries]
    with monkeypatch.context() as patch:
        patch.setattr(parser, "keep_newest_entries", lambda body, limit: None)
        whole = [e.guid for e in parse_feed(body).entries]
    return with_cut, whole


ATOM_HEAD = '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Quay</title>'


def _atom(entries: list[str]) -> bytes:
    return (ATOM_HEAD + "".join(entries) + "</feed>").encode()


def _at(n: int) -> datetime:
    return START + timedelta(minutes=n)


def test_the_cut_never_joins_the_pieces_of_a_start_tag_past_the_attribute_guard(
    parsed_sizes: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Throwaway undated items split one tag's attributes into pieces under the guard's limit;
    # cut out, they would have left one element of 18,000 attributes (quadratic, GIL held).
    seen: list[bytes] = []
    real = parser.fastfeedparser.parse
    monkeypatch.setattr(
        parser.fastfeedparser, "parse", lambda body, **kw: (seen.append(body), real(body, **kw))[1]
    )
    pieces = "".join(
        "".join(f' a{p}_{i}=""' for i in range(900)) + " <item></item>" for p in range(20)
    )
    items = [_item(n, _rfc822(n)) for n in range(MAX_FEED_ENTRIES)]
    body = HEAD + f"<bag{pieces}/>".encode() + "".join(items).encode() + TAIL
    with contextlib.suppress(FeedParseError):  # refused is as good: no parser read it
        parse_feed(body)
    assert all(crowded_element(read) is None for read in seen)


def test_the_cut_never_makes_markup_of_what_was_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # "<!" and "[CDATA[" with an undated item between them: cut out, a CDATA section opened.
    seen: list[bytes] = []
    real = parser.fastfeedparser.parse
    monkeypatch.setattr(
        parser.fastfeedparser, "parse", lambda body, **kw: (seen.append(body), real(body, **kw))[1]
    )
    items = [_item(n, _rfc822(n)) for n in range(MAX_FEED_ENTRIES)]
    body = _rss(["<!<item></item>[CDATA[", *items, "]]>"])
    parse_feed(body)
    assert all(b"<![CDATA[" not in read for read in seen)


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
    with_cut, whole = _choices(_rss(items), monkeypatch)
    assert with_cut == whole
    assert with_cut[-1] == "https://quay.example/2999"


def test_undated_guids_spend_no_date_reading_the_dated_items_need(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items = [f"<item><title>Old {n}</title><guid>note-{n}</guid></item>" for n in range(2100)]
    items += [
        f"<item><title>N {n}</title><guid>https://quay.example/{n}</guid>"
        f"<pubDate>{_at(n):%m/%d/%Y %H:%M}</pubDate></item>"
        for n in range(1100)
    ]
    with_cut, whole = _choices(_rss(items), monkeypatch)
    assert with_cut == whole


def test_past_the_dates_dateutil_may_read_the_choice_is_left_to_the_parser(
    monkeypatch: pytest.MonkeyPatch, parsed_sizes: list[int]
) -> None:
    # Slashes with the year first and a clock: read only by dateutil, 2,500 times.
    items = [
        f"<item><title>N {n}</title><guid>https://quay.example/{n}</guid>"
        f"<pubDate>{_at(n):%Y/%m/%d %H:%M}</pubDate></item>"
        for n in range(2500)
    ]
    body = _rss(items)
    with_cut, whole = _choices(body, monkeypatch)
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
    from bot.ingest import entry_dates

    library = entry_dates._library_date
    assert library is not None
    iso = library(value)
    expected = parse_date(iso) if iso else None
    read, when = entry_dates.read_date(value, entry_dates.Budget())
    assert read == bool(iso)
    assert when == (expected.timestamp() if expected else None)


def test_a_date_in_cdata_after_white_space_ranks_its_item(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items = [
        f"<item><title>N {n}</title><guid>https://quay.example/{n}</guid>"
        f"<pubDate>\n  <![CDATA[{_rfc822(n)}]]>\n</pubDate></item>"
        for n in range(MAX_FEED_ENTRIES + 200)
    ]
    with_cut, whole = _choices(_rss(items), monkeypatch)
    assert with_cut == whole
    assert with_cut[0] == "https://quay.example/200"


def test_an_atom_entry_is_dated_by_its_own_updated_not_its_sources(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The <source>'s date comes first here: the parser reads only the entry's own children.
    entries = [
        f"<entry><id>urn:n:{n}</id><title>N {n}</title><source><id>urn:s</id>"
        f"<updated>2030-01-0{1 + n % 9}T00:00:00Z</updated></source>"
        f"<updated>{_at(n).isoformat()}</updated></entry>"
        for n in range(MAX_FEED_ENTRIES + 200)
    ]
    with_cut, whole = _choices(_atom(entries), monkeypatch)
    assert with_cut == whole
    assert with_cut[0] == "urn:n:200"


def test_an_empty_atom_published_is_passed_over_for_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entries = [
        f"<entry><id>urn:n:{n}</id><title>N {n}</title><published/>"
        f"<published>{_at(n).isoformat()}</published></entry>"
        for n in range(MAX_FEED_ENTRIES + 200)
    ]
    with_cut, whole = _choices(_atom(entries), monkeypatch)
    assert with_cut == whole
    assert with_cut[0] == "urn:n:200"


def test_prefixed_and_stray_items_are_no_entries_to_the_cut(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Extension elements named item, and newer items after </channel>: the parser reads
    # neither, so neither takes the place of an item it reads.
    items = [_item(n, _rfc822(n)) for n in range(MAX_FEED_ENTRIES)]
    extensions = "".join(f"<x:item xmlns:x='urn:x'>ext {k}</x:item>" for k in range(5))
    stray = "".join(_item(10**5 + k, _rfc822(10**5 + k)) for k in range(50))
    body = _rss([extensions, *items]).replace(TAIL, b"</channel>" + stray.encode() + b"</rss>")
    with_cut, whole = _choices(body, monkeypatch)
    assert with_cut == whole
    assert len(with_cut) == MAX_FEED_ENTRIES


@pytest.mark.parametrize("codec", ["utf-16", "utf-32-le"])
def test_a_huge_utf16_or_utf32_document_is_cut_too(parsed_sizes: list[int], codec: str) -> None:
    count = 20 * MAX_FEED_ENTRIES
    text = HEAD + b"".join(b"<item><guid>note-%d</guid></item>" % n for n in range(count)) + TAIL
    body = text.decode().replace('version="1.0"?>', f'version="1.0" encoding="{codec}"?>')
    parsed = parse_feed(body.encode(codec))
    assert parsed.unread_entries == count - MAX_FEED_ENTRIES
    assert [e.guid for e in parsed.entries[:2]] == ["note-0", "note-1"]
    (size,) = parsed_sizes
    assert size < len(text) / 10


def test_a_declared_entity_in_a_date_leaves_the_choice_to_the_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The parser keeps the reference unresolved, which ends the date's text there.
    items = [
        f"<item><title>N {n}</title><guid>https://quay.example/{n}</guid>"
        f"<pubDate>{_rfc822(n).replace(' 2024', '&year;')}</pubDate></item>"
        for n in range(MAX_FEED_ENTRIES + 200)
    ]
    body = _rss(items).replace(
        b'<?xml version="1.0"?>', b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY year " 2024">]>'
    )
    with_cut, whole = _choices(body, monkeypatch)
    assert with_cut == whole


def test_rss_1_items_and_self_closed_items_are_cut_as_the_parser_chooses(
    monkeypatch: pytest.MonkeyPatch, parsed_sizes: list[int]
) -> None:
    count = MAX_FEED_ENTRIES + 200
    numbers = list(range(count))
    random.Random(3).shuffle(numbers)
    items = "".join(
        f'<item rdf:about="https://q.example/{n}"><title>N {n}</title>'
        f"<link>https://q.example/{n}</link><dc:date>{_at(n).isoformat()}</dc:date></item>"
        + ('<item rdf:about="https://q.example/empty"/>' if n % 100 == 0 else "")
        for n in numbers
    )
    body = (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<channel rdf:about="https://q.example/"><title>Q</title><link>https://q.example/</link>'
        f"</channel>{items}</rdf:RDF>"
    ).encode()
    with_cut, whole = _choices(body, monkeypatch)
    assert with_cut == whole
    assert parsed_sizes[0] < len(body)  # cut, and the same choice


def test_a_huge_document_the_size_cap_cut_off_is_cut_too(
    parsed_sizes: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a fetch keeps of an archive past its size cap: well-formed up to where it stops.
    count = 20 * MAX_FEED_ENTRIES
    numbers = list(range(count))
    random.Random(8).shuffle(numbers)
    body = _rss([_item(n, _rfc822(n)) for n in numbers])
    body = body[: body.rindex(b"<pubDate>")]
    with_cut, whole = _choices(body, monkeypatch)
    assert with_cut == whole
    assert parsed_sizes[0] < len(body) / 10


def test_dates_the_parser_misreads_rank_as_they_are_read_again(
    monkeypatch: pytest.MonkeyPatch, parsed_sizes: list[int]
) -> None:
    # A 12-hour clock and an offset after "GMT", which `entry_fields` reads again from the
    # document (a comment left out there, not by the parser): the newer half is written so.
    count = MAX_FEED_ENTRIES + 300
    numbers = list(range(count))
    random.Random(4).shuffle(numbers)

    def item(n: int) -> str:
        when = _at(n)
        date = _rfc822(n)
        if n >= count // 2:
            date = rng.choice(
                [
                    f"<!-- moved -->{when:%b %d, %Y %I:%M %p}",
                    f"{when:%a, %d %b %Y %H:%M:%S} GMT+0000",
                    f"{when:%a, %d %b %Y %I:%M:%S %p} +0000",
                ]
            )
        return (
            f"<item><title>N {n}</title><guid>https://quay.example/{n}</guid>"
            f"<pubDate>{date}</pubDate></item>"
        )

    rng = random.Random(6)
    body = _rss([item(n) for n in numbers])
    with_cut, whole = _choices(body, monkeypatch)
    assert with_cut == whole
    assert "https://quay.example/0" not in with_cut
    assert parsed_sizes[0] < len(body)  # cut


def _date_text(n: int, rng: random.Random) -> str:
    when = START + timedelta(minutes=n * 7 + rng.randrange(5))
    text = rng.choice(
        [
            format_datetime(when),
            when.isoformat(),
            f"{when:%b %d, %Y}",
            f"{when:%d %b %Y}",
            f"{when:%m/%d/%Y}",
            f"{when:%Y/%m/%d %H:%M}",
            f"{when:%a, %d %b %Y %H:%M:%S} -0500",
            f"{when:%B %d, %Y %I:%M %p}",
            f"{when:%a, %d %b %Y %H:%M:%S} GMT-0500",
            f"{when:%Y-%m-%d %H:%M:%S} -08:00",
            f"{when:%a, %d %b %Y} 24:00:00 GMT",
            f"note-{n}",
            "soon",
            "",
            " ",
        ]
    )
    return rng.choice(
        [
            text,
            f"<![CDATA[{text}]]>",
            f"\n  <![CDATA[{text}]]>\n",
            f" {text} ",
            f"<!-- c -->{text}",
            f"{text}<!-- c -->",
            f"<?pi x?>{text}",
            f"<b>x</b>{text}",
            text.replace(" ", "&#32;"),
        ]
    )


def _dated_children(n: int, rng: random.Random, names: list[str]) -> str:
    children = []
    for _ in range(rng.randrange(4)):
        name = rng.choice(names)
        children.append(rng.choice([f"<{name}>{_date_text(n, rng)}</{name}>", f"<{name}/>"]))
    if rng.random() < 0.2:
        later = (START + timedelta(days=999)).isoformat()
        children.insert(
            rng.randrange(len(children) + 1), f"<source><updated>{later}</updated></source>"
        )
    return "".join(children)


@pytest.mark.parametrize("seed", range(4))
def test_the_cut_chooses_as_the_parser_among_dates_written_every_way(
    seed: int, monkeypatch: pytest.MonkeyPatch, parsed_sizes: list[int]
) -> None:
    rng = random.Random(seed)
    numbers = list(range(MAX_FEED_ENTRIES + 50 + rng.randrange(300)))
    rng.shuffle(numbers)
    if seed % 2:
        names = ["pubDate", "PUBDATE", "dc:date", "published", "issued", "updated", "created",
                 "lastBuildDate", "modified", "atom:updated", "guid", "x:guid", "date"]  # fmt: skip
        body = (
            '<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"'
            ' xmlns:atom="http://www.w3.org/2005/Atom" xmlns:x="urn:x"><channel><title>Q</title>'
            + "".join(
                f"<item><title>N {n}</title><link>https://q.example/{n}</link>"
                f"{_dated_children(n, rng, names)}</item>"
                for n in numbers
            )
            + "</channel></rss>"
        )
    else:
        namespace = ("http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#")[seed // 2 % 2]
        names = ["published", "updated", "issued", "modified", "dc:date"]
        body = (
            f'<?xml version="1.0"?><feed xmlns="{namespace}"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/"><title>Q</title>'
            + "".join(
                f"<entry><id>urn:n:{n}</id><title>N {n}</title>"
                f"{_dated_children(n, rng, names)}</entry>"
                for n in numbers
            )
            + "</feed>"
        )
    with_cut, whole = _choices(body.encode(), monkeypatch)
    assert with_cut == whole
    assert parsed_sizes[0] < len(body)  # cut


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
            "date_published": f"{_at(n):%Y/%m/%d %H:%M}",
        }
        for n in range(2500)
    ]
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Q", "items": items})
    kept = [e.guid for e in parse_feed(body.encode()).entries]
    monkeypatch.setattr(jsonfeed, "keep_newest_items", lambda items, limit: items)
    whole = [e.guid for e in parse_feed(body.encode()).entries]
    assert kept == whole
    assert kept[-1] == "note-2499"


def test_a_date_read_again_in_the_whole_document_is_read_again_in_what_is_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Only the oldest items' dates show the 12-hour clock that makes `entry_fields` read dates
    # again; the newest one's, after a comment, is read only then. Cut down to the newest,
    # the document would no longer be read again, and that item would lose its date.
    def item(n: int, date: str) -> str:
        return (
            f"<item><title>N {n}</title><guid>https://quay.example/{n}</guid>"
            f"<pubDate>{date}</pubDate></item>"
        )

    count = MAX_FEED_ENTRIES + 100
    items = [item(n, f"{_at(n):%a, %d %b %Y %I:%M:%S %p} +0000") for n in range(100)]
    items += [item(n, _rfc822(n)) for n in range(100, count - 1)]
    items.append(item(count - 1, f"<!-- moved -->{_at(count):%b %d, %Y %I:%M %p}"))
    body = _rss(items)
    cut = parse_feed(body)
    _without_cut(monkeypatch)
    whole = parse_feed(body)
    assert [(e.guid, e.published) for e in cut.entries] == [
        (e.guid, e.published) for e in whole.entries
    ]
    assert whole.entries[-1].published is not None
