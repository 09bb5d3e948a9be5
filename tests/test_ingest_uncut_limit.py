"""A feed the entry cut cannot choose from (not well-formed, declaring entities, thousands of
dates only dateutil reads) was parsed whole, which is what a hostile feed is after: 10 MB of
tiny such items cost 9 to 38 s of CPU a poll, with the GIL held. Then past `MAX_UNCUT_ENTRIES`
entries such a document was refused, and with it a sloppy real feed (an unescaped <br> in each
description, which the parser reads). Now it keeps only the bytes of its first and last
`MAX_FEED_ENTRIES` entries, found by a plain scan: a feed listed by date, either way, has its
newest at one end, so the parser chooses the same entries it chose from all of them. Real
loopback feed server and SQLite file for the poll."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import sqlite_utils
from _entry_cap_feeds import HEAD, TAIL, at, choices, rfc822
from _iso_2022 import iso_2022_cn

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest.entry_cap import _TAGS_PER_ENTRY, MAX_UNCUT_ENTRIES
from bot.ingest.parser import MAX_FEED_ENTRIES, parse_feed
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store

PAST = MAX_UNCUT_ENTRIES + 500


def _items(order: range, item: Callable[[int], str]) -> bytes:
    return "".join(item(n) for n in order).encode()


def _dated(n: int) -> str:
    return f"<item><guid>note-{n}</guid><pubDate>{rfc822(n)}</pubDate></item>"


def _not_well_formed(order: range) -> bytes:
    return HEAD + _items(order, _dated) + b"</b>" + TAIL


def _declaring_an_entity(order: range) -> bytes:
    head = HEAD.replace(b"?>", b"?><!DOCTYPE rss [<!ENTITY e 'x'>]>")
    return head + _items(order, lambda n: _dated(n).replace("</guid>", "&e;</guid>")) + TAIL


def _guids_dated_by_dateutil(order: range) -> bytes:
    # Each one a date only dateutil reads, and no two alike (its cache would answer them).
    return (
        HEAD + _items(order, lambda n: f"<item><guid>{at(n):%Y/%m/%d %H:%M}</guid></item>") + TAIL
    )


def _sloppy(order: range) -> bytes:
    # The reviewer's real-world shape: an HTML line break left unescaped in each description.
    return (
        HEAD
        + _items(
            order,
            lambda n: _dated(n).replace("</item>", "<description>A<br>B</description></item>"),
        )
        + TAIL
    )


NEWEST_LAST = range(PAST)
NEWEST_FIRST = range(PAST - 1, -1, -1)


@pytest.mark.parametrize("order", [NEWEST_LAST, NEWEST_FIRST], ids=["oldest first", "newest first"])
@pytest.mark.parametrize(
    "make",
    [_not_well_formed, _declaring_an_entity, _guids_dated_by_dateutil, _sloppy],
    ids=["malformed", "entities", "dateutil", "unescaped <br>"],
)
def test_past_the_limit_only_both_ends_are_parsed_and_the_newest_kept(
    make: Callable[[range], bytes],
    order: range,
    monkeypatch: pytest.MonkeyPatch,
    parsed_sizes: list[int],
) -> None:
    body = make(order)
    parsed = parse_feed(body)
    # Read, not refused: the newest, as parsing every entry chose them.
    with_cut, whole = choices(body, monkeypatch)
    assert with_cut == whole and len(with_cut) == MAX_FEED_ENTRIES
    assert parsed.unread_entries == PAST - MAX_FEED_ENTRIES
    # The parser was given the two ends alone: about 2,000 of the 10,500 entries' bytes.
    assert parsed_sizes[0] < len(body) * 2.5 * MAX_FEED_ENTRIES / PAST


def test_the_reviewers_sloppy_feed_just_past_the_limit_is_read() -> None:
    body = _sloppy(range(MAX_UNCUT_ENTRIES + 1))
    parsed = parse_feed(body)
    newest = {
        f"note-{n}" for n in range(MAX_UNCUT_ENTRIES + 1 - MAX_FEED_ENTRIES, MAX_UNCUT_ENTRIES + 1)
    }
    assert {e.guid for e in parsed.entries} == newest


def test_past_the_limit_a_feed_of_much_markup_an_item_is_trimmed_too(
    parsed_sizes: list[int],
) -> None:
    # More "<" an item than is worth reading (`_TAGS_PER_ENTRY`): the count of entries is
    # checked first, else the whole 7 MB was parsed (2.4 s of CPU against 0.24 s trimmed).
    pad = "<b/>" * (_TAGS_PER_ENTRY + 10)
    body = _not_well_formed(NEWEST_LAST).replace(b"</pubDate>", f"</pubDate>{pad}".encode())
    parsed = parse_feed(body)
    assert {e.guid for e in parsed.entries} == {
        f"note-{n}" for n in range(PAST - MAX_FEED_ENTRIES, PAST)
    }
    assert parsed.unread_entries == PAST - MAX_FEED_ENTRIES
    assert parsed_sizes[0] < len(body) * 2.5 * MAX_FEED_ENTRIES / PAST


def test_up_to_the_limit_a_feed_the_cut_cannot_read_is_parsed_whole(
    parsed_sizes: list[int],
) -> None:
    body = _not_well_formed(range(3 * MAX_FEED_ENTRIES))
    assert len(parse_feed(body).entries) == MAX_FEED_ENTRIES
    assert parsed_sizes == [len(body)]


def test_a_json_feed_of_dates_only_dateutil_reads_keeps_both_ends_past_the_limit() -> None:
    items = [{"id": f"n{n}", "date_published": f"{at(n):%Y/%m/%d %H:%M}"} for n in range(PAST)]
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Q", "items": items})
    parsed = parse_feed(body.encode())
    assert {e.guid for e in parsed.entries} == {
        f"n{n}" for n in range(PAST - MAX_FEED_ENTRIES, PAST)
    }
    assert parsed.unread_entries == PAST - MAX_FEED_ENTRIES


def test_an_iso_2022_document_is_trimmed_between_its_ascii_tags_alone() -> None:
    # 奸翦砭 is "<item>" in ISO-2022-CN's shifted bytes: no entry, and no place to cut.
    fake_tag = "奸翦砭"
    items = "".join(
        f"<item><title>{fake_tag} {n}</title><guid>note-{n}</guid><pubDate>{rfc822(n)}</pubDate></item>"
        for n in range(PAST)
    )
    body = iso_2022_cn(
        '<?xml version="1.0" encoding="ISO-2022-CN"?><rss version="2.0"><channel>'
        f"<title>Q</title>{items}</channel></rss>"
    )
    assert body.count(b"\x0e<item>\x0f") == PAST
    parsed = parse_feed(body)
    assert parsed.unread_entries == PAST - MAX_FEED_ENTRIES
    assert {e.guid for e in parsed.entries} == {
        f"note-{n}" for n in range(PAST - MAX_FEED_ENTRIES, PAST)
    }
    assert all(e.title == f"{fake_tag} {e.guid[5:]}" for e in parsed.entries)


def test_a_mostly_dated_feed_past_the_limit_is_cut_not_parsed_whole(
    monkeypatch: pytest.MonkeyPatch, parsed_sizes: list[int]
) -> None:
    # Counted in the bytes, its dates could be words in a CDATA section: past the limit, the
    # document is read by expat and cut, which costs a bounded share of its parse.
    items = [
        f"<item><guid>https://q.example/{n}</guid><pubDate>{rfc822(n)}</pubDate></item>"
        for n in range(PAST)
    ]
    body = HEAD + "".join(items).encode() + TAIL
    with_cut, whole = choices(body, monkeypatch)
    assert with_cut == whole
    assert parsed_sizes[0] < len(body) / 5


async def test_polling_such_a_feed_reads_it(server: FeedServer, db: sqlite_utils.Database) -> None:
    server.route("/odd", Reply(body=_sloppy(range(PAST)), content_type="application/rss+xml"))
    feed_store.add_feed(db, server.url("/odd"))

    report = await poll_feeds(db, PollingConfig(allow_private_networks=True, timeout=60.0))

    (result,) = report.feeds
    assert result.status == "new" and result.error is None
