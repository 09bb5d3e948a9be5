"""A document of more entries than are read (`MAX_FEED_ENTRIES`) is cut down before it is
parsed, between its entries' own tags: the parser reads only the entries kept. Choosing them
after parsing made 100,000 tiny undated items cost 6.7 s of CPU a poll (fastfeedparser reads
each one's GUID as a date), held by the GIL. Here: which bytes are entries (CDATA, comments,
empty-element tags, prefixed and stray items, RSS 1.0), documents cut off by the fetch's size
cap, UTF-16 and JSON Feed, and that the cut never makes markup the guards did not see. Real
loopback feed server and SQLite file for the poll."""

from __future__ import annotations

import contextlib
import json
import random
from datetime import timedelta

import pytest
import sqlite_utils
from _entry_cap_feeds import HEAD, START, TAIL, at, choices, rfc822, rss, rss_item

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest.attributes import crowded_element
from bot.ingest.errors import FeedParseError
from bot.ingest.parser import MAX_FEED_ENTRIES, parse_feed
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store

pytestmark = pytest.mark.usefixtures("dated_documents_cut")


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


def test_entry_tags_in_cdata_comments_and_self_closed_items_do_not_move_the_cut() -> None:
    count = MAX_FEED_ENTRIES + 10
    items = [rss_item(n, rfc822(n)) for n in range(count)]
    items[3] = rss_item(
        3, rfc822(3), "<description><![CDATA[ends </item> <item> early]]></description>"
    )
    items[5] = items[5] + "<!-- <item><title>no entry</title></item> -->"
    items.insert(7, "<item/>")  # an empty entry: undated, so among the first cut out
    parsed = parse_feed(rss(items))
    assert parsed.unread_entries == 11
    assert [e.title for e in parsed.entries[:2]] == ["Harbour note 10", "Harbour note 11"]
    assert parsed.entries[-1].title == f"Harbour note {count - 1}"


def test_a_cut_off_document_over_the_cap_keeps_its_newest_whole_entries() -> None:
    count = MAX_FEED_ENTRIES + 5
    body = rss([rss_item(n, rfc822(n)) for n in range(count)])
    body = body[: body.rindex(b"<pubDate>")]  # stops inside the newest entry
    parsed = parse_feed(body)
    assert parsed.missing_end == "</rss>"
    assert parsed.unread_entries == 4  # of the whole ones; the cut one is no entry
    assert parsed.entries[0].title == "Harbour note 4"
    assert parsed.entries[-1].title == f"Harbour note {count - 2}"


def test_a_huge_document_the_size_cap_cut_off_is_cut_too(
    parsed_sizes: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a fetch keeps of an archive past its size cap: well-formed up to where it stops.
    count = 20 * MAX_FEED_ENTRIES
    numbers = list(range(count))
    random.Random(8).shuffle(numbers)
    body = rss([rss_item(n, rfc822(n)) for n in numbers])
    body = body[: body.rindex(b"<pubDate>")]
    with_cut, whole = choices(body, monkeypatch)
    assert with_cut == whole
    assert parsed_sizes[0] < len(body) / 10


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


def test_prefixed_and_stray_items_are_no_entries_to_the_cut(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Extension elements named item, and newer items after </channel>: the parser reads
    # neither, so neither takes the place of an item it reads.
    items = [rss_item(n, rfc822(n)) for n in range(MAX_FEED_ENTRIES)]
    extensions = "".join(f"<x:item xmlns:x='urn:x'>ext {k}</x:item>" for k in range(5))
    stray = "".join(rss_item(10**5 + k, rfc822(10**5 + k)) for k in range(50))
    body = rss([extensions, *items]).replace(TAIL, b"</channel>" + stray.encode() + b"</rss>")
    with_cut, whole = choices(body, monkeypatch)
    assert with_cut == whole
    assert len(with_cut) == MAX_FEED_ENTRIES


def test_rss_1_items_and_self_closed_items_are_cut_as_the_parser_chooses(
    monkeypatch: pytest.MonkeyPatch, parsed_sizes: list[int]
) -> None:
    count = MAX_FEED_ENTRIES + 200
    numbers = list(range(count))
    random.Random(3).shuffle(numbers)
    items = "".join(
        f'<item rdf:about="https://q.example/{n}"><title>N {n}</title>'
        f"<link>https://q.example/{n}</link><dc:date>{at(n).isoformat()}</dc:date></item>"
        + ('<item rdf:about="https://q.example/empty"/>' if n % 100 == 0 else "")
        for n in numbers
    )
    body = (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<channel rdf:about="https://q.example/"><title>Q</title><link>https://q.example/</link>'
        f"</channel>{items}</rdf:RDF>"
    ).encode()
    with_cut, whole = choices(body, monkeypatch)
    assert with_cut == whole
    assert parsed_sizes[0] < len(body)  # cut, and the same choice


def test_the_cut_never_joins_the_pieces_of_a_start_tag_past_the_attribute_guard(
    parsed_documents: list[bytes],
) -> None:
    # Throwaway undated items split one tag's attributes into pieces under the guard's limit;
    # cut out, they would have left one element of 18,000 attributes (quadratic, GIL held).
    pieces = "".join(
        "".join(f' a{p}_{i}=""' for i in range(900)) + " <item></item>" for p in range(20)
    )
    items = [rss_item(n, rfc822(n)) for n in range(MAX_FEED_ENTRIES)]
    body = HEAD + f"<bag{pieces}/>".encode() + "".join(items).encode() + TAIL
    with contextlib.suppress(FeedParseError):  # refused is as good: no parser read it
        parse_feed(body)
    assert all(crowded_element(read) is None for read in parsed_documents)


def test_the_cut_never_makes_markup_of_what_was_text(parsed_documents: list[bytes]) -> None:
    # "<!" and "[CDATA[" with an undated item between them: cut out, a CDATA section opened.
    items = [rss_item(n, rfc822(n)) for n in range(MAX_FEED_ENTRIES)]
    body = rss(["<!<item></item>[CDATA[", *items, "]]>"])
    parse_feed(body)
    assert all(b"<![CDATA[" not in read for read in parsed_documents)


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
